/**
 * Child process for the crash test (not part of the public API): appends batches to a persistent
 * store in `process.argv[2]`, flushes after each and prints `flushed <batch>`, until killed.
 */
import { openPersistentStore } from './persistent-store.js';

const dataDir = process.argv[2]!;
const t0 = Number(process.argv[3]);
const SERIES = 50;
const ps = await openPersistentStore({ dataDir, flushIntervalMs: 3_600_000, snapshotIntervalMs: 0, chunkSamples: 30 });
const stop = setTimeout(() => process.exit(3), 30_000);
for (let batch = 0; batch < 100_000; batch++) {
  for (let s = 0; s < SERIES; s++) ps.store.append({ __name__: 'crash_test', series: String(s) }, t0 + batch * 15_000, batch * 1000 + s);
  await ps.flush();
  if (batch % 25 === 24) await ps.checkpoint();
  process.stdout.write(`flushed ${batch}\n`);
  // unflushed extra samples: may be lost by the crash
  ps.store.append({ __name__: 'crash_unflushed' }, t0 + batch * 15_000, batch);
}
clearTimeout(stop);
