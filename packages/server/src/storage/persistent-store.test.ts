import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, appendFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isStaleNaN, type LabelMatcher } from '@vigil/engine';
import { openPersistentStore } from './persistent-store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Recent base time so the default 15-day retention keeps the test data. */
const T0 = Date.now() - 3 * 24 * 3600_000;

const name = (v: string): LabelMatcher => ({ type: '=', name: '__name__', value: v });

describe('openPersistentStore', () => {
  it('replays snapshot + WAL after close and reopen, staleness markers included', async () => {
    const dataDir = await tempDir();
    const a = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    for (let i = 0; i < 500; i++) a.store.append({ __name__: 'up', job: 'api' }, T0 + i * 15_000, i % 2);
    a.store.append({ __name__: 'gone' }, T0, 1);
    a.store.markStale(['__name__\xffgone\xfe'], T0 + 15_000);
    await a.close();
    const b = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    const [s] = b.store.select([name('up')], 0, 1e14);
    expect(s!.timestamps.length).toBe(500);
    expect(s!.values[499]).toBe(1);
    const [g] = b.store.select([name('gone')], 0, 1e14);
    expect(isStaleNaN(g!.values[1]!)).toBe(true);
    // appends continue after reopen and survive a flush-only restart (no checkpoint)
    b.store.append({ __name__: 'up', job: 'api' }, T0 + 500 * 15_000, 9);
    b.store.append({ __name__: 'new' }, T0 + 1, 2);
    await b.flush();
    const files = await readdir(join(dataDir, 'wal'));
    expect(files.length).toBeGreaterThan(0);
    // simulate a crash: do not close b; open a second instance from the same files
    const c = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    expect(c.stats().replayedSamples).toBe(2);
    expect(Array.from(c.store.select([name('up')], T0 + 500 * 15_000, 1e14)[0]!.values)).toEqual([9]);
    expect(c.store.select([name('new')], T0, T0 + 10)).toHaveLength(1);
    await c.close();
    await b.close();
  });

  it('ignores a torn last WAL record and keeps everything before it', async () => {
    const dataDir = await tempDir();
    const a = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    for (let i = 0; i < 10; i++) a.store.append({ __name__: 'x' }, T0 + i * 1000, i);
    await a.flush();
    const seg = (await readdir(join(dataDir, 'wal')))[0]!;
    const whole = await readFile(join(dataDir, 'wal', seg));
    // a half-written frame: a length claiming more bytes than are there
    await appendFile(join(dataDir, 'wal', seg), Buffer.concat([whole.subarray(0, 12)]));
    const b = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    expect(b.stats().tornWalAtOpen).toBe(true);
    expect(b.store.select([name('x')], 0, 1e14)[0]!.timestamps.length).toBe(10);
    await b.close();
    await a.close().catch(() => undefined);
  });

  it('checkpoint writes a snapshot, deletes covered WAL segments and applies time retention', async () => {
    const dataDir = await tempDir();
    let now = 10 * 3600_000;
    const a = await openPersistentStore({ dataDir, snapshotIntervalMs: 0, retentionMs: 3600_000, chunkSamples: 20, now: () => now });
    for (let i = 0; i < 2400; i++) a.store.append({ __name__: 'm' }, i * 15_000, i);
    await a.flush();
    await a.checkpoint();
    const files = await readdir(dataDir);
    expect(files.filter((f) => f.startsWith('snapshot-'))).toHaveLength(1);
    expect((await readdir(join(dataDir, 'wal'))).length).toBe(1);
    const first = a.store.select([name('m')], 0, 1e12)[0]!.timestamps[0]!;
    expect(first).toBeGreaterThanOrEqual(now - 3600_000 - 20 * 15_000);
    now += 1;
    await a.close();
    const b = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    expect(b.store.select([name('m')], 0, 1e12)[0]!.timestamps[0]).toBe(first);
    await b.close();
  });

  it('size retention drops the oldest data until the snapshot fits', async () => {
    const dataDir = await tempDir();
    const a = await openPersistentStore({ dataDir, snapshotIntervalMs: 0, retentionBytes: 20_000 });
    for (let s = 0; s < 20; s++) for (let i = 0; i < 2000; i++) a.store.append({ __name__: 'm', s: String(s) }, T0 + i * 15_000, Math.random());
    await a.checkpoint();
    expect(a.stats().snapshotBytes).toBeLessThanOrEqual(20_000);
    expect(a.stats().samples).toBeGreaterThan(0);
    expect(a.stats().minTime).toBeGreaterThan(T0);
    expect(a.stats().maxTime).toBe(T0 + 1999 * 15_000);
    await a.close();
  });

  it('after SIGKILL mid-run, reopening has every sample up to the last completed flush', async () => {
    const dataDir = await tempDir();
    const fixture = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, String(T0)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastFlushed = -1;
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = [...buf.matchAll(/flushed (\d+)\n/g)];
        if (m.length > 0) lastFlushed = Number(m[m.length - 1]![1]);
        if (lastFlushed >= 60) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => (lastFlushed >= 60 ? resolve() : reject(new Error(`child exited early: ${code}`))));
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    const b = await openPersistentStore({ dataDir, snapshotIntervalMs: 0 });
    const series = b.store.select([name('crash_test')], 0, 1e14);
    expect(series).toHaveLength(50);
    for (const s of series) {
      expect(s.timestamps.length).toBeGreaterThanOrEqual(lastFlushed + 1);
      const idx = Number(s.labels['series']);
      for (let i = 0; i < s.timestamps.length; i++) {
        expect(s.timestamps[i]).toBe(T0 + i * 15_000);
        expect(s.values[i]).toBe(i * 1000 + idx);
      }
    }
    await b.close();
  });
});
