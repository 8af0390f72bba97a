import path from 'node:path';
import { createSeriesStore, type Appendable, type Queryable, type SeriesStore } from '@vigil/engine';
import { openPersistentStore } from '../storage/persistent-store.js';

/** The monitor's view of its series store. */
export interface MonitorStore extends Queryable, Appendable {
  seriesCount(): number;
  sampleCount(): number;
  /** Samples rejected (out of order, duplicate timestamp with another value). */
  rejected(): number;
  close(): Promise<void>;
}

function wrap(store: SeriesStore, close: () => Promise<void>): MonitorStore {
  let rejected = 0;
  return {
    append(labels, t, v) {
      try {
        store.append(labels, t, v);
      } catch {
        // Out-of-order or conflicting samples from a target are dropped, as Prometheus does; counted for /metrics.
        rejected++;
      }
    },
    select: (m, a, b) => store.select(m, a, b),
    labelNames: (m, a, b) => store.labelNames(m, a, b),
    labelValues: (n, m, a, b) => store.labelValues(n, m, a, b),
    seriesCount: () => store.stats().series,
    sampleCount: () => store.stats().samples,
    rejected: () => rejected,
    close,
  };
}

/**
 * Opens the monitor's series store: the engine's in-memory store, made durable (snapshot + WAL
 * under `<dataDir>/series`) when a data dir is set.
 */
export async function openMonitorStore(options: { dataDir?: string; retentionMs: number; retentionBytes: number; now: () => number }): Promise<MonitorStore> {
  if (!options.dataDir) {
    const store = createSeriesStore({ retentionMs: options.retentionMs });
    const timer = setInterval(() => store.applyRetention(options.now()), 60_000);
    timer.unref();
    return wrap(store, async () => clearInterval(timer));
  }
  const p = await openPersistentStore({
    dataDir: path.join(options.dataDir, 'series'),
    retentionMs: options.retentionMs,
    ...(options.retentionBytes > 0 ? { retentionBytes: options.retentionBytes } : {}),
    now: options.now,
  });
  return wrap(p.store, () => p.close());
}
