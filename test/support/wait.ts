/** Options of {@link until}. */
export interface UntilOptions {
  /** Give up after this long (ms). Default 30 s. */
  readonly timeoutMs?: number;
  /** Pause between attempts (ms). Default 100. */
  readonly intervalMs?: number;
  /** Treat an attempt that throws (e.g. a server not listening yet) as "not yet" instead of failing. */
  readonly retryOnError?: boolean;
}

/**
 * Polls `fn` until it returns something other than `undefined` or `false`, and returns that; throws
 * `timed out waiting for <what>` after the timeout. For tests that wait on real processes and servers.
 */
export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, options: UntilOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const v = options.retryOnError ? await Promise.resolve().then(fn).catch(() => undefined) : await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
