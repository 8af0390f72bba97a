import { HealthTimeoutError } from './health-errors.js';

/**
 * Runs `work` with an AbortSignal and settles no later than `timeoutMs`: on timeout the returned promise
 * rejects with `HealthTimeoutError` and the signal aborts, so cooperative work stops too. A late
 * settlement of `work` is ignored (and a late rejection is swallowed so it never becomes unhandled).
 */
export function runWithTimeout<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  timeoutMs: number,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      const error = new HealthTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(work(controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
