import { Gauge, type Registry } from 'prom-client';
import type { SeriesStoreStats } from '@vigil/engine';
import type { PersistentStoreStats } from './persistent-store.js';

/** Metric names (without prefix) that `registerStorageMetrics` exposes. */
export const STORAGE_METRIC_NAMES = {
  series: 'tsdb_head_series',
  samples: 'tsdb_head_samples',
  chunks: 'tsdb_head_chunks',
  chunkBytes: 'tsdb_head_chunks_bytes',
  bytesPerSample: 'tsdb_head_bytes_per_sample',
  memoryBytes: 'tsdb_head_memory_bytes_estimate',
  minTime: 'tsdb_head_min_time_seconds',
  maxTime: 'tsdb_head_max_time_seconds',
  walBytes: 'tsdb_wal_bytes',
  snapshotBytes: 'tsdb_snapshot_bytes',
  lastSnapshot: 'tsdb_last_snapshot_timestamp_seconds',
} as const;

/**
 * Registers gauges (default prefix `vigil_`) that read the store's figures on every scrape of the
 * registry: series, samples, chunks, chunk bytes, bytes/sample, estimated memory, time range, and
 * for a persistent store the WAL and snapshot sizes. Idempotent per registry and prefix.
 */
export function registerStorageMetrics(
  registry: Registry,
  stats: () => SeriesStoreStats | PersistentStoreStats,
  options: { prefix?: string } = {},
): void {
  const p = options.prefix ?? 'vigil_';
  const gauge = (name: string, help: string, read: (s: SeriesStoreStats & Partial<PersistentStoreStats>) => number | undefined) => {
    if (registry.getSingleMetric(p + name)) return;
    new Gauge({
      name: p + name,
      help,
      registers: [registry],
      collect() {
        const v = read(stats());
        if (v !== undefined && !Number.isNaN(v)) this.set(v);
      },
    });
  };
  const n = STORAGE_METRIC_NAMES;
  gauge(n.series, 'Series held in the in-memory store.', (s) => s.series);
  gauge(n.samples, 'Samples held in the in-memory store.', (s) => s.samples);
  gauge(n.chunks, 'Compressed chunks held in the in-memory store.', (s) => s.chunks);
  gauge(n.chunkBytes, 'Bytes of compressed sample data in chunks.', (s) => s.chunkBytes);
  gauge(n.bytesPerSample, 'Compressed chunk bytes per sample.', (s) => s.bytesPerSample);
  gauge(n.memoryBytes, 'Rough estimate of the memory the store holds (chunks, labels, index), in bytes.', (s) => s.approxMemoryBytes);
  gauge(n.minTime, 'Timestamp of the oldest sample held, in seconds.', (s) => s.minTime / 1000);
  gauge(n.maxTime, 'Timestamp of the newest sample held, in seconds.', (s) => s.maxTime / 1000);
  gauge(n.walBytes, 'Bytes in the write-ahead log segments on disk.', (s) => s.walBytes);
  gauge(n.snapshotBytes, 'Size of the last snapshot in bytes.', (s) => s.snapshotBytes);
  gauge(n.lastSnapshot, 'Time of the last successful snapshot, in seconds.', (s) => (s.lastCheckpoint === undefined ? undefined : s.lastCheckpoint / 1000));
}
