import type { Integration, NotificationAlert, NotificationData, NotifyFailureReason } from './contract.js';
import type { NotifyMetrics } from './metrics.js';
import { NotifyError, isNotifyFailure } from './notify-errors.js';

/** Time source and sleeper for retries; tests pass a fake one, production uses {@link systemClock}. */
export interface RetryClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** One attempt's outcome, reported through `onAttempt`. */
export interface AttemptInfo {
  readonly integration: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Set when the attempt failed. */
  readonly error?: Error;
  readonly reason?: NotifyFailureReason;
  /** The wait before the next attempt, when there will be one. */
  readonly nextDelayMs?: number;
}

/** Options of {@link deliverWithRetry}. */
export interface DeliverOptions {
  /** Aborting stops retrying (the caller re-queues); the in-flight attempt is aborted too. */
  readonly signal?: AbortSignal;
  readonly clock?: RetryClock;
  readonly metrics?: NotifyMetrics;
  /** Give up after this many attempts (default: unlimited, until `deadline` or abort). */
  readonly maxAttempts?: number;
  /** Give up when `clock.now()` reaches this (ms since epoch); no attempt starts after it. */
  readonly deadline?: number;
  /** First backoff in ms (default 500); doubles each attempt up to `maxBackoffMs` (default 60 000). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Longest Retry-After honoured, in ms (default 10 minutes). */
  readonly maxRetryAfterMs?: number;
  /** Per-attempt timeout in ms (default 30 000); a timed-out attempt fails with reason `timeout`. */
  readonly attemptTimeoutMs?: number;
  /** Random source in [0,1) for jitter (default Math.random). */
  readonly random?: () => number;
  readonly onAttempt?: (info: AttemptInfo) => void;
}

/** What {@link deliverWithRetry} resolves with on success. */
export interface DeliveryResult {
  /** Attempts made (0 when skipped). */
  readonly attempts: number;
  /** True when nothing was sent because `send_resolved` is off and no alert is firing. */
  readonly skipped: boolean;
}

function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) {
    for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  }
  return out;
}

/**
 * Applies an integration's `send_resolved` to a notification as Alertmanager does: when it is off,
 * resolved alerts are dropped and status, common labels and annotations are recomputed from what
 * is left; returns undefined when nothing is left to send.
 */
export function filterForIntegration(data: NotificationData, sendResolved: boolean): NotificationData | undefined {
  if (sendResolved) return data;
  const alerts: NotificationAlert[] = data.alerts.filter((a) => a.status === 'firing');
  if (alerts.length === 0) return undefined;
  if (alerts.length === data.alerts.length) return data;
  return {
    ...data,
    alerts,
    status: 'firing',
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
  };
}

/** Backoff before attempt `n+1` (n ≥ 1): exponential with ±50% jitter, capped. */
export function backoffDelay(n: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(n - 1, 30));
  return Math.round(base * (0.5 + random()));
}

function attemptSignal(outer: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs);
  return outer ? AbortSignal.any([outer, t]) : t;
}

function asFailure(err: unknown, integration: string): NotifyError {
  if (err instanceof NotifyError) return err;
  if (isNotifyFailure(err)) {
    return new NotifyError(err.message, { retryable: err.retryable, reason: err.reason, ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) });
  }
  // An integration that throws something unclassified: treat as a transient failure, but never
  // copy its message blindly into logs (it is the integration's job to scrub); keep the type.
  const name = err instanceof Error ? err.name : typeof err;
  return new NotifyError(`${integration}: notify failed (${name})`, { retryable: true, reason: 'other', cause: err });
}

/**
 * Delivers one notification through one integration, retrying until it succeeds, the failure is
 * not retryable (e.g. a 4xx), `maxAttempts` is reached, the `deadline` passes or `signal` aborts.
 * Retries back off exponentially with jitter; a 429/503 Retry-After is honoured (capped). Resolves
 * with the attempt count; rejects with the last {@link NotifyError} when it gives up. Counts
 * `notifications_total`, `notification_requests_total`, `notification_requests_failed_total{reason}`
 * and, on giving up, `notifications_failed_total{reason}` on `options.metrics`.
 * Applies `send_resolved` first (see {@link filterForIntegration}).
 */
export async function deliverWithRetry(integration: Integration, data: NotificationData, options: DeliverOptions = {}): Promise<DeliveryResult> {
  const toSend = filterForIntegration(data, integration.sendResolved);
  if (!toSend) return { attempts: 0, skipped: true };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const initial = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 600_000;
  const timeoutMs = options.attemptTimeoutMs ?? 30_000;
  const m = options.metrics;
  const label = { integration: integration.name };
  const started = clock.now();
  m?.notificationsTotal.inc(label);

  let attempt = 0;
  for (;;) {
    if (options.signal?.aborted) {
      const err = new NotifyError(`${integration.name}[${integration.index}]: delivery aborted`, { retryable: true, reason: 'other', cause: options.signal.reason });
      m?.notificationsFailedTotal.inc({ ...label, reason: 'other' });
      throw err;
    }
    attempt++;
    m?.requestsTotal.inc(label);
    let failure: NotifyError;
    try {
      await integration.notify(toSend, attemptSignal(options.signal, timeoutMs));
      m?.latencySeconds.observe(label, Math.max(0, clock.now() - started) / 1000);
      options.onAttempt?.({ integration: integration.name, attempt });
      return { attempts: attempt, skipped: false };
    } catch (err) {
      failure = asFailure(err, `${integration.name}[${integration.index}]`);
    }
    // A caller abort surfaces as an 'other' failure from the transport; report it as such.
    m?.requestsFailedTotal.inc({ ...label, reason: failure.reason });

    const now = clock.now();
    let delay = failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, maxRetryAfter) : backoffDelay(attempt, initial, maxBackoff, random);
    const outOfAttempts = options.maxAttempts !== undefined && attempt >= options.maxAttempts;
    const pastDeadline = options.deadline !== undefined && now >= options.deadline;
    const giveUp = !failure.retryable || outOfAttempts || pastDeadline || options.signal?.aborted === true;
    if (!giveUp && options.deadline !== undefined) delay = Math.min(delay, Math.max(0, options.deadline - now));
    options.onAttempt?.({ integration: integration.name, attempt, error: failure, reason: failure.reason, ...(giveUp ? {} : { nextDelayMs: delay }) });
    if (giveUp) {
      m?.notificationsFailedTotal.inc({ ...label, reason: failure.reason });
      throw failure;
    }
    try {
      await clock.sleep(delay, options.signal);
    } catch {
      // Aborted while waiting: the loop head reports it.
    }
  }
}
