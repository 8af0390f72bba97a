import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createSeriesStore, parseExposition } from '@vigil/engine';
import { registerStorageMetrics } from './metrics.js';
import { openPersistentStore } from './persistent-store.js';

describe('registerStorageMetrics', () => {
  it('exposes the store figures, read at scrape time', async () => {
    const store = createSeriesStore();
    const registry = new Registry();
    registerStorageMetrics(registry, () => store.stats());
    registerStorageMetrics(registry, () => store.stats()); // idempotent
    for (let i = 0; i < 10; i++) store.append({ __name__: 'x', i: String(i % 2) }, 1_700_000_000_000 + i * 15_000, i);
    const values = new Map(parseExposition(await registry.metrics()).samples.map((s) => [s.name, s.value]));
    expect(values.get('vigil_tsdb_head_series')).toBe(2);
    expect(values.get('vigil_tsdb_head_samples')).toBe(10);
    expect(values.get('vigil_tsdb_head_chunks')).toBe(2);
    expect(values.get('vigil_tsdb_head_max_time_seconds')).toBe(1_700_000_000 + 135);
    expect(values.get('vigil_tsdb_head_chunks_bytes')).toBeGreaterThan(0);
  });

  it('adds WAL and snapshot sizes for a persistent store', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vigil-store-metrics-'));
    try {
      const ps = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
      const registry = new Registry();
      registerStorageMetrics(registry, () => ps.stats());
      ps.store.append({ __name__: 'x' }, Date.now(), 1);
      await ps.flush();
      let values = new Map(parseExposition(await registry.metrics()).samples.map((s) => [s.name, s.value]));
      expect(values.get('vigil_tsdb_wal_bytes')).toBeGreaterThan(0);
      await ps.checkpoint();
      values = new Map(parseExposition(await registry.metrics()).samples.map((s) => [s.name, s.value]));
      expect(values.get('vigil_tsdb_snapshot_bytes')).toBeGreaterThan(0);
      expect(values.get('vigil_tsdb_last_snapshot_timestamp_seconds')).toBeGreaterThan(1_700_000_000);
      await ps.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
