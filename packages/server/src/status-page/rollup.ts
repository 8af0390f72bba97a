import { randomUUID } from 'node:crypto';
import type { AlertingClock, TimerHandle } from '../alerting/clock.js';
import type { Migration, StateStore } from '../state/types.js';
import { DAY_MS, lastUtcDays, splitByUtcDay, utcDay, utcDayStart } from './day.js';

/** Days of history the page shows. */
export const UPTIME_WINDOW_DAYS = 90;
/** Days kept in the state store (a little more than shown, so a late reader still sees 90). */
const KEEP_DAYS = UPTIME_WINDOW_DAYS + 10;

/** Migrations of the `status_page` namespace. */
export const STATUS_PAGE_MIGRATIONS: readonly Migration[] = [
  {
    // One row per service, UTC day and writer (one process lifetime): each writer upserts its own
    // absolute totals, so a repeated flush changes nothing, a restart starts a new row instead of
    // needing to read the old one back, and replicas sharing Postgres never overwrite each other.
    id: '001_uptime_days',
    up: `CREATE TABLE IF NOT EXISTS status_page_uptime (
  service TEXT NOT NULL,
  day TEXT NOT NULL,
  writer TEXT NOT NULL,
  checks BIGINT NOT NULL,
  successes BIGINT NOT NULL,
  downtime_ms BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (service, day, writer)
);
CREATE INDEX IF NOT EXISTS status_page_uptime_day ON status_page_uptime (day)`,
  },
];

/** Uptime of one service on one UTC day; `checks` 0 means no data that day. */
export interface UptimeDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  readonly checks: number;
  readonly successes: number;
  /** Milliseconds the service was in a confirmed (partial or major) outage. */
  readonly downtimeMs: number;
}

/** Options of {@link createUptimeRollup}. */
export interface UptimeRollupOptions {
  readonly store: StateStore;
  readonly clock: Pick<AlertingClock, 'now' | 'setTimer' | 'clearTimer'>;
  /** How often buffered counts are written (default 60 s). */
  readonly flushIntervalMs?: number;
  /** Told about failed writes (the counts stay buffered and are written by the next flush). */
  readonly onError?: (err: unknown) => void;
  /** This writer's id; default a random id per instance. */
  readonly writerId?: string;
}

/**
 * Daily uptime rollup of the status page: counts checks, successes and outage time per service per
 * UTC day in memory, and writes them to the state store in batches (one transaction per flush),
 * so 90 days of history survive restarts independently of series retention.
 */
export interface UptimeRollup {
  /** Counts one check of `service` at `atMs`. */
  record(service: string, atMs: number, success: boolean): void;
  /** Adds outage time [fromMs, toMs) to `service`, split over the UTC days it spans. */
  addDowntime(service: string, fromMs: number, toMs: number): void;
  /** Per service, the last `days` UTC days up to today (oldest first), buffered counts included. */
  history(services: readonly string[], days?: number): Promise<Map<string, UptimeDay[]>>;
  /** Writes buffered counts now; rejects when the store fails (the counts stay buffered). */
  flush(): Promise<void>;
  /** Stops the flush timer and writes what is buffered. */
  close(): Promise<void>;
}

interface Bucket {
  service: string;
  day: string;
  checks: number;
  successes: number;
  downtimeMs: number;
  dirty: boolean;
}

interface StoredRow {
  service: string;
  day: string;
  writer: string;
  checks: number;
  successes: number;
  downtime_ms: number;
}

const UPSERT = `INSERT INTO status_page_uptime (service, day, writer, checks, successes, downtime_ms, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (service, day, writer) DO UPDATE SET checks = excluded.checks, successes = excluded.successes,
  downtime_ms = excluded.downtime_ms, updated_at = excluded.updated_at`;

/** Creates the uptime rollup on `store` (applies the `status_page` migrations first). */
export async function createUptimeRollup(options: UptimeRollupOptions): Promise<UptimeRollup> {
  const { store, clock } = options;
  await store.migrate('status_page', STATUS_PAGE_MIGRATIONS);
  const writer = options.writerId ?? randomUUID();
  const flushEvery = options.flushIntervalMs ?? 60_000;
  const buckets = new Map<string, Bucket>();
  let cache: { rows: StoredRow[]; from: string; at: number } | undefined;
  let prunedFor = '';
  let flushing: Promise<void> | undefined;
  let timer: TimerHandle | undefined;
  let closed = false;

  const bucket = (service: string, day: string): Bucket => {
    const key = `${service}\u0000${day}`;
    let b = buckets.get(key);
    if (!b) {
      b = { service, day, checks: 0, successes: 0, downtimeMs: 0, dirty: false };
      buckets.set(key, b);
    }
    return b;
  };
  // Results older than yesterday would overwrite a flushed-and-forgotten bucket with smaller totals.
  const tooOld = (atMs: number): boolean => atMs < utcDayStart(clock.now()) - DAY_MS;

  const writeOnce = async (): Promise<void> => {
    const now = clock.now();
    const dirty = [...buckets.values()].filter((b) => b.dirty);
    const today = utcDay(now);
    if (dirty.length > 0) {
      for (const b of dirty) b.dirty = false;
      try {
        await store.transaction((tx) =>
          tx.executeMany(
            UPSERT,
            dirty.map((b) => [b.service, b.day, writer, b.checks, b.successes, Math.round(b.downtimeMs), now]),
          ),
        );
      } catch (err) {
        for (const b of dirty) b.dirty = true;
        throw err;
      }
      cache = undefined;
    }
    // Buckets of days before yesterday are on disk and can take no more counts: forget them.
    const yesterday = utcDay(utcDayStart(now) - DAY_MS);
    for (const [k, b] of buckets) if (!b.dirty && b.day < yesterday) buckets.delete(k);
    if (prunedFor !== today) {
      await store.execute('DELETE FROM status_page_uptime WHERE day < $1', [utcDay(utcDayStart(now) - KEEP_DAYS * DAY_MS)]);
      prunedFor = today;
      cache = undefined;
    }
  };
  const flush = (): Promise<void> => {
    // One flush at a time; a flush asked for during another runs after it (it may have new counts).
    const next = (flushing ?? Promise.resolve()).then(writeOnce);
    // The chain itself never rejects: the caller of this flush gets the error.
    const settled: Promise<void> = next.then(
      () => undefined,
      () => undefined,
    );
    flushing = settled;
    void settled.then(() => {
      if (flushing === settled) flushing = undefined;
    });
    return next;
  };
  const schedule = (): void => {
    if (closed) return;
    timer = clock.setTimer(() => {
      flush()
        .catch((err) => options.onError?.(err))
        .finally(schedule);
    }, flushEvery);
  };
  schedule();

  return {
    record(service, atMs, success) {
      if (closed || tooOld(atMs)) return;
      const b = bucket(service, utcDay(atMs));
      b.checks++;
      if (success) b.successes++;
      b.dirty = true;
    },
    addDowntime(service, fromMs, toMs) {
      if (closed) return;
      const floor = utcDayStart(clock.now()) - DAY_MS;
      splitByUtcDay(Math.max(fromMs, floor), toMs, (day, ms) => {
        const b = bucket(service, day);
        b.downtimeMs += ms;
        b.dirty = true;
      });
    },
    async history(services, days = UPTIME_WINDOW_DAYS) {
      const now = clock.now();
      const window = lastUtcDays(now, days);
      const from = window[0]!;
      // The stored rows change only when some writer flushes (about once a minute): read them at most every 30 s.
      if (!cache || cache.from !== from || now - cache.at > 30_000 || now < cache.at) {
        const rows = await store.query<StoredRow & Record<string, unknown>>(
          'SELECT service, day, writer, checks, successes, downtime_ms FROM status_page_uptime WHERE day >= $1',
          [from],
        );
        cache = { rows, from, at: now };
      }
      const wanted = new Set(services);
      const sums = new Map<string, { checks: number; successes: number; downtimeMs: number }>();
      const add = (service: string, day: string, checks: number, successes: number, downtimeMs: number): void => {
        const key = `${service}\u0000${day}`;
        const s = sums.get(key) ?? { checks: 0, successes: 0, downtimeMs: 0 };
        s.checks += checks;
        s.successes += successes;
        s.downtimeMs += downtimeMs;
        sums.set(key, s);
      };
      for (const r of cache.rows) {
        if (!wanted.has(r.service)) continue;
        // This writer's buffered bucket is newer than its stored row.
        if (r.writer === writer && buckets.has(`${r.service}\u0000${r.day}`)) continue;
        add(r.service, r.day, Number(r.checks), Number(r.successes), Number(r.downtime_ms));
      }
      for (const b of buckets.values()) if (wanted.has(b.service) && b.day >= from) add(b.service, b.day, b.checks, b.successes, b.downtimeMs);
      const out = new Map<string, UptimeDay[]>();
      for (const service of services) {
        out.set(
          service,
          window.map((date) => {
            const s = sums.get(`${service}\u0000${date}`);
            return { date, checks: s?.checks ?? 0, successes: s?.successes ?? 0, downtimeMs: s?.downtimeMs ?? 0 };
          }),
        );
      }
      return out;
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clock.clearTimer(timer);
      await flush();
    },
  };
}
