import type { AlertingClock } from '../clock.js';
import type { AlertingLogger } from '../dispatch/logger.js';
import { rfc3339 } from '../time-format.js';
import type { Alert } from '../types.js';

/** Forwarding mode: send alerts to an external Alertmanager (API v2) instead of notifying. */
export interface ForwardOptions {
  /** Base URL of the Alertmanager, e.g. `http://alertmanager:9093` (several for a cluster: each gets every alert). */
  readonly urls: readonly string[];
  /** Extra headers (e.g. Authorization); never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Alerts per request (default 1000). */
  readonly batchSize?: number;
  /** Per-request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
}

/** Sends alerts to external Alertmanagers, retrying each batch with backoff until it is accepted. */
export interface Forwarder {
  send(alerts: readonly Alert[]): void;
  /** Resolves when every queued batch has been accepted (or the forwarder stopped). */
  idle(): Promise<void>;
  stop(): void;
}

function postable(a: Alert): Record<string, unknown> {
  return { labels: a.labels, annotations: a.annotations, startsAt: rfc3339(a.startsAt), endsAt: rfc3339(a.endsAt), generatorURL: a.generatorURL };
}

/** Creates a {@link Forwarder}; one queue per target URL, so a slow target does not hold back the others. */
export function createForwarder(options: ForwardOptions, clock: AlertingClock, logger: AlertingLogger): Forwarder {
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 1000;
  const queues = options.urls.map((url) => ({ url: `${url.replace(/\/$/, '')}/api/v2/alerts`, queue: [] as Alert[][], running: false }));
  const running = new Set<Promise<void>>();

  const post = async (url: string, batch: Alert[]): Promise<void> => {
    const ctl = AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(batch.map(postable)),
      signal: ctl,
    });
    await res.arrayBuffer();
    if (res.status >= 400 && res.status < 500) throw Object.assign(new Error(`alertmanager rejected alerts: HTTP ${res.status}`), { retryable: false });
    if (!res.ok) throw new Error(`alertmanager answered HTTP ${res.status}`);
  };

  const drain = async (q: (typeof queues)[number]): Promise<void> => {
    q.running = true;
    while (q.queue.length > 0 && !abort.signal.aborted) {
      const batch = q.queue[0]!;
      let delay = 500;
      for (;;) {
        try {
          await post(q.url, batch);
          break;
        } catch (err) {
          if (abort.signal.aborted) return;
          if ((err as { retryable?: boolean }).retryable === false) {
            logger.error({ target: new URL(q.url).host, err: (err as Error).message }, 'forwarding dropped a batch');
            break;
          }
          logger.warn({ target: new URL(q.url).host, err: (err as Error).message }, 'forwarding failed, retrying');
          try {
            await clock.sleep(delay, abort.signal);
          } catch {
            return;
          }
          delay = Math.min(delay * 2, 30_000);
        }
      }
      q.queue.shift();
    }
    q.running = false;
  };

  return {
    send(alerts) {
      for (const q of queues) {
        for (let i = 0; i < alerts.length; i += batchSize) q.queue.push(alerts.slice(i, i + batchSize));
        if (!q.running) {
          const p = drain(q).finally(() => running.delete(p));
          running.add(p);
        }
      }
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    stop() {
      abort.abort();
    },
  };
}
