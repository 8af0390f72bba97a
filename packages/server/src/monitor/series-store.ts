import path from 'node:path';
import { createSeriesStore, type Appendable, type Labels, type Queryable, type SeriesStore } from '@vigil/engine';
import { openPersistentStore } from '../storage/persistent-store.js';

/** The monitor's view of its series store. */
export interface MonitorStore extends Queryable, Appendable {
  /** The series ref for `labels`, creating the series when new; throws (counted as rejected) at the series limit. */
  ref(labels: Labels): number;
  /** Appends by series ref; rejected samples are counted and dropped; throws only for an unknown ref. */
  appendRef(ref: number, timestamp: number, value: number): void;
  /** Labels of a series ref (the store's own copy), or undefined when unknown. */
  labelsOf(ref: number): Labels | undefined;
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
    ref(labels) {
      try {
        return store.ref(labels);
      } catch (err) {
        rejected++;
        throw err;
      }
    },
    appendRef(ref, t, v) {
      try {
        store.appendRef(ref, t, v);
      } catch (err) {
        if (store.labelsOf(ref) === undefined) throw err;
        rejected++;
      }
    },
    labelsOf: (ref) => store.labelsOf(ref),
    select: (m, a, b) => store.select(m, a, b),
    // Rule evaluation and queries stream series through the store's reused decode buffers instead
    // of a pair of typed arrays per series (malloc churn that shows up as RSS).
    selectEach: (m, a, b, fn) => (store.selectEach ? store.selectEach(m, a, b, fn) : store.select(m, a, b).forEach(fn)),
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
