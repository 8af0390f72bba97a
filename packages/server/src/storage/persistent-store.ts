import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSeriesStore,
  createWalSampleBatch,
  decodeWalRecords,
  encodeWalRecord,
  type SeriesStore,
  type SeriesStoreStats,
  type WalRecord,
} from '@vigil/engine';
import { PersistenceError } from './errors.js';

/** Options of `openPersistentStore`. */
export interface PersistentStoreOptions {
  /** Directory holding `snapshot-*.bin` and `wal/*.log` (created if missing). */
  readonly dataDir: string;
  /** Time retention in ms (default 15 days): older chunks are dropped at each checkpoint. */
  readonly retentionMs?: number;
  /** Size retention: when a snapshot would exceed this many bytes, the oldest data is dropped (default 0 = off). */
  readonly retentionBytes?: number;
  /** Buffered WAL records are written (and fsync'd) this often, in ms (default 1000). */
  readonly flushIntervalMs?: number;
  /** fsync the WAL after every flush (default true); false leaves durability to the OS page cache. */
  readonly fsync?: boolean;
  /** Snapshot + WAL truncation interval in ms (default 15 minutes; 0 = only on `checkpoint()`/`close()`). */
  readonly snapshotIntervalMs?: number;
  /** Series limit passed to the in-memory store (default unlimited). */
  readonly maxSeries?: number;
  /** Samples per chunk (default 120). */
  readonly chunkSamples?: number;
  /** Clock for retention (default `Date.now`). */
  readonly now?: () => number;
}

/** Figures about the persistent store (the in-memory store's plus the files). */
export interface PersistentStoreStats extends SeriesStoreStats {
  /** Bytes in the current WAL segments on disk (after the last flush). */
  readonly walBytes: number;
  /** Size of the last snapshot written or loaded. */
  readonly snapshotBytes: number;
  /** Samples replayed from the WAL at open. */
  readonly replayedSamples: number;
  /** True when the last WAL segment ended in a torn record at open (ignored). */
  readonly tornWalAtOpen: boolean;
  /** Time (ms) of the last successful checkpoint, or NaN. */
  readonly lastCheckpoint: number;
}

/**
 * A series store backed by a data directory: `store` is the in-memory `SeriesStore` (use it as
 * `Queryable`/`Appendable`); every accepted sample is buffered into the write-ahead log and
 * written every `flushIntervalMs`. A crash loses at most the samples since the last flush.
 */
export interface PersistentStore {
  /** The in-memory store; appends made through it are logged. Do not call its `restore()`. */
  readonly store: SeriesStore;
  /** Writes (and by default fsyncs) buffered WAL records now. */
  flush(): Promise<void>;
  /** Applies retention, writes a snapshot and deletes the WAL segments it covers. */
  checkpoint(): Promise<void>;
  /** Store and file figures, for metrics. */
  stats(): PersistentStoreStats;
  /** Stops timers, checkpoints, closes files. Further calls are no-ops. */
  close(): Promise<void>;
}

const SNAP_RE = /^snapshot-(\d{8})\.bin$/;
const SEG_RE = /^(\d{8})\.log$/;
const pad = (n: number): string => String(n).padStart(8, '0');

function ioError(what: string, cause: unknown): PersistenceError {
  return new PersistenceError('VIGIL_ERR_STORAGE_IO', `${what}: ${(cause as NodeJS.ErrnoException)?.code ?? 'error'}`, { cause });
}

/**
 * Opens (or creates) a persistent series store in `options.dataDir`: loads the newest valid
 * snapshot, replays the WAL segments after it (ignoring a torn last record), then starts a fresh
 * WAL segment, the flush timer and the snapshot timer. Throws `PersistenceError` on I/O failure.
 */
export async function openPersistentStore(options: PersistentStoreOptions): Promise<PersistentStore> {
  const dataDir = options.dataDir;
  const walDir = join(dataDir, 'wal');
  const now = options.now ?? Date.now;
  const fsyncEnabled = options.fsync ?? true;
  try {
    await mkdir(walDir, { recursive: true });
  } catch (e) {
    throw ioError(`cannot create data directory ${dataDir}`, e);
  }

  let replaying = true;
  // Records waiting for the next flush: series records as objects, sample batches already encoded.
  let pending: (WalRecord | Uint8Array)[] = [];
  const batch = createWalSampleBatch();
  const logged = new Set<number>();

  const store: SeriesStore = createSeriesStore({
    ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
    ...(options.maxSeries !== undefined ? { maxSeries: options.maxSeries } : {}),
    ...(options.chunkSamples !== undefined ? { chunkSamples: options.chunkSamples } : {}),
    onSample(ref, t, v) {
      if (replaying) return;
      if (!logged.has(ref)) {
        if (batch.count > 0) pending.push(batch.take());
        pending.push({ type: 'series', ref, labels: store.labelsOf(ref)! });
        logged.add(ref);
      }
      batch.add(ref, t, v);
    },
  });

  // 1. newest valid snapshot
  const names = await readdir(dataDir);
  const snaps = names
    .map((n) => SNAP_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  let baseSeg = 0;
  let snapshotBytes = 0;
  for (const seg of snaps) {
    try {
      const bytes = await readFile(join(dataDir, `snapshot-${pad(seg)}.bin`));
      store.restore(bytes);
      baseSeg = seg;
      snapshotBytes = bytes.length;
      break;
    } catch {
      // corrupt or unreadable snapshot: fall back to an older one
      store.restore(createSeriesStore().snapshot());
    }
  }

  // 2. replay WAL segments >= baseSeg
  const segs = (await readdir(walDir))
    .map((n) => SEG_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  let replayedSamples = 0;
  let tornWalAtOpen = false;
  for (const seg of segs) {
    if (seg < baseSeg) continue;
    const decoded = decodeWalRecords(await readFile(join(walDir, `${pad(seg)}.log`)));
    if (decoded.torn) tornWalAtOpen = true;
    const refs = new Map<number, number>();
    for (const rec of decoded.records) {
      if (rec.type === 'series') {
        try {
          refs.set(rec.ref, store.ref(rec.labels));
        } catch {
          // series limit: skip this series' samples
        }
        continue;
      }
      for (const s of rec.samples) {
        const ref = refs.get(s.ref);
        if (ref === undefined) continue;
        try {
          store.appendRef(ref, s.t, s.v);
          replayedSamples++;
        } catch {
          // already in the snapshot (duplicate / older): skip
        }
      }
    }
  }
  replaying = false;

  // 3. fresh segment
  let seg = Math.max(baseSeg, (segs[segs.length - 1] ?? 0) + 1, 1);
  let fh: FileHandle;
  const openSegment = async (n: number): Promise<FileHandle> => {
    try {
      return await open(join(walDir, `${pad(n)}.log`), 'a');
    } catch (e) {
      throw ioError(`cannot open WAL segment ${pad(n)}.log`, e);
    }
  };
  fh = await openSegment(seg);
  let walBytes = 0;
  for (const s of segs) if (s >= baseSeg) walBytes += (await stat(join(walDir, `${pad(s)}.log`))).size;
  let lastCheckpoint = NaN;
  let closed = false;

  // All file work runs one operation at a time, in order.
  let chain: Promise<void> = Promise.resolve();
  const serial = (op: () => Promise<void>): Promise<void> => {
    const next = chain.then(op);
    chain = next.catch(() => undefined);
    return next;
  };

  const takePending = (): (WalRecord | Uint8Array)[] => {
    if (batch.count > 0) pending.push(batch.take());
    const out = pending;
    pending = [];
    return out;
  };

  const writeRecords = async (handle: FileHandle, recs: (WalRecord | Uint8Array)[]): Promise<void> => {
    if (recs.length === 0) return;
    const bufs = recs.map((r) => (r instanceof Uint8Array ? r : encodeWalRecord(r)));
    const data = Buffer.concat(bufs);
    try {
      await handle.write(data);
      if (fsyncEnabled) await handle.sync();
    } catch (e) {
      throw ioError('cannot write the WAL', e);
    }
    walBytes += data.length;
  };

  const flush = (): Promise<void> =>
    serial(async () => {
      await writeRecords(fh, takePending());
    });

  const checkpoint = (): Promise<void> =>
    serial(async () => {
      store.applyRetention(now());
      let bytes = store.snapshot();
      const budget = options.retentionBytes ?? 0;
      // Size retention: drop the oldest chunks (whole chunks only) until the snapshot fits.
      const st0 = store.stats();
      let cut = st0.minTime;
      for (let i = 0; budget > 0 && bytes.length > budget && i < 30 && Number.isFinite(cut); i++) {
        const keep = Math.min(0.9, (budget / bytes.length) * 0.9);
        const span = st0.maxTime - cut;
        if (span <= 0) break;
        cut = Math.max(cut + 1, st0.maxTime - span * keep);
        store.truncateBefore(cut);
        bytes = store.snapshot();
      }
      // Synchronous switch: the snapshot holds exactly what is in segments < newSeg.
      const leftover = takePending();
      const oldFh = fh;
      const newSeg = seg + 1;
      seg = newSeg;
      logged.clear();
      fh = await openSegment(newSeg);
      await writeRecords(oldFh, leftover);
      await oldFh.close();
      const tmp = join(dataDir, `snapshot-${pad(newSeg)}.tmp`);
      try {
        const sh = await open(tmp, 'w');
        await sh.write(bytes);
        await sh.sync();
        await sh.close();
        await rename(tmp, join(dataDir, `snapshot-${pad(newSeg)}.bin`));
        const dh = await open(dataDir, 'r');
        await dh.sync().catch(() => undefined);
        await dh.close();
      } catch (e) {
        throw ioError(`cannot write snapshot-${pad(newSeg)}.bin`, e);
      }
      snapshotBytes = bytes.length;
      for (const n of await readdir(dataDir)) {
        const m = SNAP_RE.exec(n);
        if ((m && Number(m[1]) < newSeg) || n.endsWith('.tmp')) await rm(join(dataDir, n), { force: true });
      }
      let removed = 0;
      for (const n of await readdir(walDir)) {
        const m = SEG_RE.exec(n);
        if (m && Number(m[1]) < newSeg) {
          const p = join(walDir, n);
          removed += (await stat(p)).size;
          await rm(p, { force: true });
        }
      }
      walBytes = Math.max(0, walBytes - removed);
      lastCheckpoint = now();
    });

  const flushTimer = setInterval(() => {
    flush().catch(() => undefined);
  }, options.flushIntervalMs ?? 1000);
  flushTimer.unref();
  const snapInterval = options.snapshotIntervalMs ?? 15 * 60_000;
  const snapTimer = snapInterval > 0 ? setInterval(() => void checkpoint().catch(() => undefined), snapInterval) : undefined;
  snapTimer?.unref();

  return {
    store,
    flush: () => (closed ? Promise.resolve() : flush()),
    checkpoint: () => {
      if (closed) return Promise.reject(new PersistenceError('VIGIL_ERR_STORAGE_CLOSED', 'the store is closed'));
      return checkpoint();
    },
    stats: () => ({ ...store.stats(), walBytes, snapshotBytes, replayedSamples, tornWalAtOpen, lastCheckpoint }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flushTimer);
      if (snapTimer) clearInterval(snapTimer);
      try {
        await checkpoint();
      } finally {
        await serial(() => fh.close().catch(() => undefined));
      }
    },
  };
}
