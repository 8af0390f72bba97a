import { labelsKey, type Labels } from '../model/labels.js';
import { matchLabels, matchValue, type LabelMatcher } from '../model/matchers.js';
import type { Appendable, Queryable, SeriesSamples } from '../model/queryable.js';
import { STALE_NAN, isStaleNaN } from '../model/samples.js';
import { ByteReader, ByteWriter, crc32 } from './bytes.js';
import { Chunk, decodeChunk, decodeChunkInto } from './chunk.js';
import { RecentRings } from './recent-rings.js';
import { StorageError } from './errors.js';

/** Options of `createSeriesStore`. */
export interface SeriesStoreOptions {
  /** Samples older than `now - retentionMs` are dropped by `applyRetention(now)`; default 15 days. */
  readonly retentionMs?: number;
  /** Samples per chunk before it is closed (default 120, as Prometheus). */
  readonly chunkSamples?: number;
  /**
   * Newest samples per series also kept uncompressed (default 32, 0 = off): queries over recent
   * windows (rule evaluation, 5 m lookback) read them instead of decoding chunks. Costs 16 bytes each.
   */
  readonly recentSamples?: number;
  /** Maximum number of series; creating more throws `VIGIL_ERR_SERIES_LIMIT` (default 0 = unlimited). */
  readonly maxSeries?: number;
  /** Called after a new series is created, with its ref (used by the write-ahead log). */
  readonly onSeries?: (ref: number, labels: Labels) => void;
  /** Called after every accepted sample, including staleness markers (used by the write-ahead log). */
  readonly onSample?: (ref: number, t: number, v: number) => void;
}

/** Figures about a store's contents, exposed by the server as metrics. */
export interface SeriesStoreStats {
  /** Series currently held. */
  readonly series: number;
  /** Samples held across all chunks. */
  readonly samples: number;
  /** Chunks held (open and closed). */
  readonly chunks: number;
  /** Bytes of compressed sample data in chunks. */
  readonly chunkBytes: number;
  /** `chunkBytes / samples` (0 when empty). */
  readonly bytesPerSample: number;
  /** Rough estimate of all memory held (chunks + labels + index), in bytes. */
  readonly approxMemoryBytes: number;
  /** Oldest and newest sample timestamps (ms), or NaN when empty. */
  readonly minTime: number;
  readonly maxTime: number;
}

/**
 * An in-memory time-series store: implements PromQL's `Queryable` and the scrape loop's
 * `Appendable`. Series are indexed by an inverted label index (postings); samples live in
 * append-only Gorilla-compressed chunks. Timestamps per series must not go backwards.
 */
export interface SeriesStore extends Queryable, Appendable {
  /**
   * Appends one sample. Throws `StorageError` `VIGIL_ERR_OUT_OF_ORDER` when `timestamp` is older
   * than the series' newest sample, `VIGIL_ERR_DUPLICATE_SAMPLE` for the same timestamp with a
   * different value (the same value again is ignored).
   */
  append(labels: Labels, timestamp: number, value: number): void;
  /** The series ref (stable id) for `labels`, creating the series when new. */
  ref(labels: Labels): number;
  /** Like `append` by series ref (faster: no label hashing). */
  appendRef(ref: number, timestamp: number, value: number): void;
  /** Labels of a series ref, or undefined if unknown (or dropped by retention). */
  labelsOf(ref: number): Labels | undefined;
  /** Ref of the series with `labelsKey(labels) === key`, or undefined. */
  refOfKey(key: string): number | undefined;
  /**
   * Writes a staleness marker (StaleNaN) at `timestamp` into each series named by its
   * `labelsKey`, unless its newest sample is already stale or not older than `timestamp`.
   * Returns how many markers were written. Use with `vanishedSeries(previous, current)`.
   */
  markStale(seriesKeys: Iterable<string>, timestamp: number): number;
  /** Drops chunks wholly older than `now - retentionMs` and series left empty; returns series dropped. */
  applyRetention(now: number): number;
  /** Drops chunks wholly older than `mint` (ms) and series left empty; returns series dropped. */
  truncateBefore(mint: number): number;
  /** Current figures (series, samples, chunks, bytes, bytes/sample). */
  stats(): SeriesStoreStats;
  /** Serialises every series (with its ref) and chunk into a self-checking binary snapshot. */
  snapshot(): Uint8Array;
  /** Replaces the store's contents with a snapshot; throws `VIGIL_ERR_SNAPSHOT_CORRUPT` on bad bytes. */
  restore(bytes: Uint8Array): void;
}

interface Series {
  readonly id: number;
  readonly labels: Labels;
  readonly key: string;
  chunks: Chunk[];
  lastT: number;
  lastV: number;
  /** Whether the newest sample is a staleness marker (kept apart: V8 may canonicalise NaN bits). */
  lastStale: boolean;
  /** Slot of the ring of the newest samples (uncompressed) in `RecentRings`, -1 before the first; `ringCount` appended so far. */
  slot: number;
  ringCount: number;
}

const MAGIC = 0x31534756; // "VGS1"
const EMPTY_F64 = new Float64Array(0);

/** Keys (labelsKey) present in `previous` but not in `current`: the series that vanished from a scrape. */
export function vanishedSeries(previous: Iterable<string>, current: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const k of previous) if (!current.has(k)) out.push(k);
  return out;
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function unionSorted(lists: number[][]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!;
  let n = 0;
  for (const l of lists) n += l.length;
  const all = new Float64Array(n);
  let i = 0;
  for (const l of lists) for (const v of l) all[i++] = v;
  all.sort();
  const out: number[] = [];
  for (let j = 0; j < all.length; j++) if (j === 0 || all[j] !== all[j - 1]) out.push(all[j]!);
  return out;
}

function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

class Store implements SeriesStore {
  private readonly retentionMs: number;
  private readonly chunkSamples: number;
  private readonly ring: number;
  private readonly maxSeries: number;
  private byId = new Map<number, Series>();
  private byKey = new Map<string, Series>();
  private postings = new Map<string, Map<string, number[]>>();
  /** One string per distinct label value, shared by every series' labels (values repeat across series). */
  private values = new Map<string, string>();
  private rings: RecentRings;
  private nextId = 1;
  private sampleCount = 0;

  constructor(private readonly opts: SeriesStoreOptions) {
    this.retentionMs = opts.retentionMs ?? 15 * 24 * 3600 * 1000;
    this.chunkSamples = opts.chunkSamples ?? 120;
    this.ring = opts.recentSamples ?? 32;
    this.maxSeries = opts.maxSeries ?? 0;
    this.rings = new RecentRings(Math.max(1, this.ring));
  }

  private addSeries(id: number, labels: Labels, key: string): Series {
    const clean: Record<string, string> = {};
    for (const n of Object.keys(labels)) {
      const v = labels[n]!;
      if (v === '') continue;
      let shared = this.values.get(v);
      if (shared === undefined) this.values.set(v, (shared = v));
      clean[n] = shared;
    }
    // A key built by concatenation is a tree of string pieces (≈ 3× the bytes of the text);
    // reading a character makes V8 flatten it into one string, which is what the store keeps.
    key.charCodeAt(0);
    const s: Series = { id, labels: Object.freeze(clean), key, chunks: [], lastT: -Infinity, lastV: NaN, lastStale: false, slot: -1, ringCount: 0 };
    this.byId.set(id, s);
    this.byKey.set(key, s);
    for (const [n, v] of Object.entries(clean)) {
      let vals = this.postings.get(n);
      if (!vals) this.postings.set(n, (vals = new Map()));
      const list = vals.get(v);
      if (!list) vals.set(v, [id]);
      else if (list[list.length - 1]! < id) list.push(id);
      else {
        list.push(id);
        list.sort((x, y) => x - y);
      }
    }
    if (id >= this.nextId) this.nextId = id + 1;
    return s;
  }

  ref(labels: Labels): number {
    const key = labelsKey(labels);
    const s = this.byKey.get(key);
    if (s) return s.id;
    if (this.maxSeries > 0 && this.byId.size >= this.maxSeries)
      throw new StorageError('VIGIL_ERR_SERIES_LIMIT', `series limit of ${this.maxSeries} reached`);
    const created = this.addSeries(this.nextId, labels, key);
    this.opts.onSeries?.(created.id, created.labels);
    return created.id;
  }

  labelsOf(ref: number): Labels | undefined {
    return this.byId.get(ref)?.labels;
  }

  refOfKey(key: string): number | undefined {
    return this.byKey.get(key)?.id;
  }

  append(labels: Labels, timestamp: number, value: number): void {
    this.appendTo(this.byId.get(this.ref(labels))!, timestamp, value);
  }

  appendRef(ref: number, timestamp: number, value: number): void {
    const s = this.byId.get(ref);
    if (!s) throw new StorageError('VIGIL_ERR_UNKNOWN_SERIES', `unknown series ref ${ref}`);
    this.appendTo(s, timestamp, value);
  }

  private appendTo(s: Series, t: number, v: number): void {
    if (!Number.isFinite(t)) throw new StorageError('VIGIL_ERR_BAD_TIMESTAMP', `timestamp ${t} is not a finite number`);
    if (t <= s.lastT) {
      if (t === s.lastT) {
        if (sameValue(v, s.lastV) && isStaleNaN(v) === s.lastStale) return;
        throw new StorageError('VIGIL_ERR_DUPLICATE_SAMPLE', `duplicate sample for timestamp ${t} with a different value`);
      }
      throw new StorageError('VIGIL_ERR_OUT_OF_ORDER', `out-of-order sample: timestamp ${t} is older than the series' newest ${s.lastT}`);
    }
    let head = s.chunks[s.chunks.length - 1];
    if (head && head.frozen && head.count < this.chunkSamples) head = this.reopen(s);
    if (!head || head.count >= this.chunkSamples) {
      head?.freeze();
      head = new Chunk(s.chunks.length === 0 ? 32 : Math.max(32, head!.byteLength + 8));
      s.chunks.push(head);
    }
    head.append(t, v);
    s.lastT = t;
    s.lastV = v;
    s.lastStale = isStaleNaN(v);
    if (this.ring > 0) this.pushRing(s, t, v);
    this.sampleCount++;
    this.opts.onSample?.(s.id, t, v);
  }

  private pushRing(s: Series, t: number, v: number): void {
    if (s.slot < 0) s.slot = this.rings.alloc();
    this.rings.put(s.slot, s.ringCount, t, v);
    s.ringCount++;
  }

  /** Loads the ring from the last chunk (after restore). */
  private refillRing(s: Series): void {
    const c = s.chunks[s.chunks.length - 1]!;
    const ts = new Float64Array(c.count);
    const v32 = new Uint32Array(c.count * 2);
    const n = decodeChunkInto(c.bytes, c.bitLen, c.count, -Infinity, Infinity, ts, v32, 0);
    if (s.slot < 0) s.slot = this.rings.alloc();
    s.ringCount = 0;
    for (let k = Math.max(0, n - this.ring); k < n; k++) {
      this.rings.putWords(s.slot, s.ringCount, ts[k]!, v32[2 * k]!, v32[2 * k + 1]!);
      s.ringCount++;
    }
  }

  /** Copies the samples in [lo, maxt] from the ring, if the ring covers `lo`; undefined otherwise. */
  private fromRing(s: Series, lo: number, maxt: number, reuse = false): SeriesSamples | undefined {
    const rings = this.rings;
    const slot = s.slot;
    if (slot < 0 || s.ringCount === 0) return undefined;
    const have = Math.min(s.ringCount, this.ring);
    const start = s.ringCount - have;
    if (rings.time(slot, start) > lo) return undefined;
    let n = 0;
    for (let k = start; k < s.ringCount; k++) {
      const t = rings.time(slot, k);
      if (t >= lo && t <= maxt) n++;
    }
    if (n === 0) return { labels: s.labels, timestamps: EMPTY_F64, values: EMPTY_F64 };
    let ts: Float64Array;
    let vs: Float64Array;
    let v32: Uint32Array;
    if (reuse) {
      // selectEach: the shared decode buffers, as for chunks (no typed arrays per series).
      this.growBuffers(n);
      ts = this.bufT.subarray(0, n);
      vs = this.bufV.subarray(0, n);
      v32 = this.bufV32;
    } else {
      ts = new Float64Array(n);
      vs = new Float64Array(n);
      v32 = new Uint32Array(vs.buffer);
    }
    let o = 0;
    for (let k = start; k < s.ringCount; k++) {
      const t = rings.time(slot, k);
      if (t >= lo && t <= maxt) {
        ts[o] = t;
        rings.copyValue(slot, k, v32, o);
        o++;
      }
    }
    return { labels: s.labels, timestamps: ts, values: vs };
  }

  /** Re-encodes a frozen, not-full last chunk into an appendable one (after restore). */
  private reopen(s: Series): Chunk {
    const old = s.chunks[s.chunks.length - 1]!;
    const fresh = new Chunk(old.byteLength + 32);
    decodeChunk(old.bytes, old.bitLen, old.count, -Infinity, Infinity, (t, v) => fresh.append(t, v));
    s.chunks[s.chunks.length - 1] = fresh;
    return fresh;
  }

  markStale(seriesKeys: Iterable<string>, timestamp: number): number {
    let n = 0;
    for (const k of seriesKeys) {
      const s = this.byKey.get(k);
      if (!s || s.lastT >= timestamp || s.lastStale || s.chunks.length === 0) continue;
      this.appendTo(s, timestamp, STALE_NAN);
      n++;
    }
    return n;
  }

  /** Candidate series ids for the matchers, from postings; undefined = every series. */
  private candidates(matchers: readonly LabelMatcher[]): readonly number[] | undefined {
    let result: number[] | undefined;
    const lists: number[][] = [];
    for (const m of matchers) {
      if (matchValue(m, '')) continue; // matches series without the label too: filter later
      const vals = this.postings.get(m.name);
      let list: number[];
      if (!vals) list = [];
      else if (m.type === '=') list = vals.get(m.value) ?? [];
      else {
        const parts: number[][] = [];
        for (const [v, ids] of vals) if (matchValue(m, v)) parts.push(ids);
        list = unionSorted(parts);
      }
      lists.push(list);
    }
    if (lists.length === 0) return undefined;
    lists.sort((a, b) => a.length - b.length);
    result = lists[0]!;
    for (let i = 1; i < lists.length && result.length > 0; i++) result = intersectSorted(result, lists[i]!);
    return result;
  }

  private matching(matchers: readonly LabelMatcher[]): Series[] {
    const ids = this.candidates(matchers);
    const out: Series[] = [];
    if (ids === undefined) {
      for (const s of this.byId.values()) if (matchLabels(matchers, s.labels)) out.push(s);
    } else {
      for (const id of ids) {
        const s = this.byId.get(id);
        if (s && matchLabels(matchers, s.labels)) out.push(s);
      }
    }
    return out;
  }

  private hasSamplesIn(s: Series, mint: number, maxt: number): boolean {
    for (const c of s.chunks) if (c.count > 0 && c.maxT >= mint && c.minT <= maxt) {
      let found = false;
      if (c.minT >= mint || c.maxT <= maxt) return true;
      decodeChunk(c.bytes, c.bitLen, c.count, mint, maxt, () => (found = true));
      if (found) return true;
    }
    return false;
  }

  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): SeriesSamples[] {
    const out: SeriesSamples[] = [];
    this.eachSelected(matchers, mint, maxt, false, (s) => out.push(s));
    return out;
  }

  selectEach(matchers: readonly LabelMatcher[], mint: number, maxt: number, fn: (s: SeriesSamples) => void): void {
    // A nested selectEach (from inside `fn`) gets fresh arrays: the outer call's are still in use.
    const reuse = !this.streaming;
    this.streaming = true;
    try {
      this.eachSelected(matchers, mint, maxt, reuse, fn);
    } finally {
      if (reuse) this.streaming = false;
    }
  }

  /** Decode buffers reused by `selectEach` (grown on demand); `bufV32` views `bufV`'s words. */
  private bufT = EMPTY_F64;
  private bufV = EMPTY_F64;
  private bufV32 = new Uint32Array(0);

  private growBuffers(n: number): void {
    if (this.bufT.length >= n) return;
    this.bufT = new Float64Array(n * 2);
    this.bufV = new Float64Array(n * 2);
    this.bufV32 = new Uint32Array(this.bufV.buffer);
  }
  private streaming = false;

  private eachSelected(
    matchers: readonly LabelMatcher[],
    mint: number,
    maxt: number,
    reuse: boolean,
    fn: (s: SeriesSamples) => void,
  ): void {
    for (const s of this.matching(matchers)) {
      if (s.lastT < mint || s.chunks.length === 0) continue;
      if (this.ring > 0) {
        const hit = this.fromRing(s, Math.max(mint, s.chunks[0]!.minT), maxt, reuse);
        if (hit) {
          if (hit.timestamps.length > 0) fn(hit);
          continue;
        }
      }
      let cap = 0;
      for (const c of s.chunks) if (c.maxT >= mint && c.minT <= maxt) cap += c.count;
      if (cap === 0) continue;
      // Float64Array keeps the StaleNaN bit pattern (V8 canonicalises NaNs stored in plain arrays).
      let ts: Float64Array;
      let vs: Float64Array;
      let vs32: Uint32Array;
      if (reuse) {
        this.growBuffers(cap);
        ts = this.bufT;
        vs = this.bufV;
        vs32 = this.bufV32;
      } else {
        ts = new Float64Array(cap);
        vs = new Float64Array(cap);
        vs32 = new Uint32Array(vs.buffer);
      }
      let n = 0;
      for (const c of s.chunks) {
        if (c.maxT < mint || c.minT > maxt) continue;
        n = decodeChunkInto(c.bytes, c.bitLen, c.count, mint, maxt, ts, vs32, n);
      }
      if (n > 0) fn({ labels: s.labels, timestamps: n === ts.length ? ts : ts.subarray(0, n), values: n === vs.length ? vs : vs.subarray(0, n) });
    }
  }

  private filtered(matchers: readonly LabelMatcher[] | undefined, mint?: number, maxt?: number): Iterable<Series> {
    const all = matchers && matchers.length > 0 ? this.matching(matchers) : this.byId.values();
    if (mint === undefined && maxt === undefined) return all;
    const lo = mint ?? -Infinity;
    const hi = maxt ?? Infinity;
    return [...all].filter((s) => this.hasSamplesIn(s, lo, hi));
  }

  labelNames(matchers?: readonly LabelMatcher[], mint?: number, maxt?: number): string[] {
    if ((!matchers || matchers.length === 0) && mint === undefined && maxt === undefined)
      return [...this.postings.keys()].sort();
    const names = new Set<string>();
    for (const s of this.filtered(matchers, mint, maxt)) for (const n of Object.keys(s.labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, matchers?: readonly LabelMatcher[], mint?: number, maxt?: number): string[] {
    if ((!matchers || matchers.length === 0) && mint === undefined && maxt === undefined)
      return [...(this.postings.get(name)?.keys() ?? [])].sort();
    const vals = new Set<string>();
    for (const s of this.filtered(matchers, mint, maxt)) {
      const v = s.labels[name];
      if (v !== undefined) vals.add(v);
    }
    return [...vals].sort();
  }

  applyRetention(now: number): number {
    return this.truncateBefore(now - this.retentionMs);
  }

  truncateBefore(mint: number): number {
    const dropped: Series[] = [];
    for (const s of this.byId.values()) {
      let cut = 0;
      while (cut < s.chunks.length && s.chunks[cut]!.maxT < mint) cut++;
      if (cut === 0) continue;
      for (let i = 0; i < cut; i++) this.sampleCount -= s.chunks[i]!.count;
      s.chunks = s.chunks.slice(cut);
      if (s.chunks.length === 0) dropped.push(s);
    }
    if (dropped.length > 0) {
      const gone = new Set<number>();
      for (const s of dropped) {
        gone.add(s.id);
        this.byId.delete(s.id);
        this.byKey.delete(s.key);
        if (s.slot >= 0) this.rings.free(s.slot);
      }
      let valuesGone = false;
      for (const [name, vals] of this.postings) {
        for (const [v, ids] of vals) {
          const kept = ids.filter((id) => !gone.has(id));
          if (kept.length === 0) {
            vals.delete(v);
            valuesGone = true;
          } else if (kept.length !== ids.length) vals.set(v, kept);
        }
        if (vals.size === 0) this.postings.delete(name);
      }
      // Forget shared strings no series uses any more (a value can appear under several names).
      if (valuesGone) {
        const live = new Map<string, string>();
        for (const vals of this.postings.values()) for (const v of vals.keys()) live.set(v, this.values.get(v) ?? v);
        this.values = live;
      }
    }
    return dropped.length;
  }

  stats(): SeriesStoreStats {
    let chunks = 0;
    let bytes = 0;
    let labelBytes = 0;
    let minTime = Infinity;
    let maxTime = -Infinity;
    for (const s of this.byId.values()) {
      chunks += s.chunks.length;
      for (const c of s.chunks) bytes += c.byteLength;
      labelBytes += s.key.length * 2 + 64;
      if (s.chunks.length > 0) {
        minTime = Math.min(minTime, s.chunks[0]!.minT);
        maxTime = Math.max(maxTime, s.lastT);
      }
    }
    let postingBytes = 0;
    for (const vals of this.postings.values()) for (const ids of vals.values()) postingBytes += ids.length * 8 + 48;
    return {
      series: this.byId.size,
      samples: this.sampleCount,
      chunks,
      chunkBytes: bytes,
      bytesPerSample: this.sampleCount > 0 ? bytes / this.sampleCount : 0,
      approxMemoryBytes: bytes + chunks * 80 + labelBytes * 2 + postingBytes + (this.ring > 0 ? this.rings.bytes : 0),
      minTime: Number.isFinite(minTime) ? minTime : NaN,
      maxTime: Number.isFinite(maxTime) ? maxTime : NaN,
    };
  }

  snapshot(): Uint8Array {
    const w = new ByteWriter();
    w.u32(MAGIC);
    w.u32(this.byId.size);
    for (const s of this.byId.values()) {
      w.u32(s.id);
      const names = Object.keys(s.labels);
      w.u32(names.length);
      for (const n of names) {
        w.str(n);
        w.str(s.labels[n]!);
      }
      w.f64(s.lastT);
      w.f64(s.lastV);
      w.u8(s.lastStale ? 1 : 0);
      w.u32(s.chunks.length);
      for (const c of s.chunks) {
        w.f64(c.minT);
        w.f64(c.maxT);
        w.u32(c.count);
        w.u32(c.bitLen);
        w.bytes(c.bytes);
      }
    }
    w.u32(crc32(w.buf, 0, w.len));
    return w.finish();
  }

  restore(bytes: Uint8Array): void {
    const bad = (why: string, cause?: unknown): never => {
      throw new StorageError('VIGIL_ERR_SNAPSHOT_CORRUPT', `snapshot is corrupt: ${why}`, { cause });
    };
    if (bytes.length < 12) bad('too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) bad('bad magic number');
    if (view.getUint32(bytes.length - 4, true) !== crc32(bytes, 0, bytes.length - 4)) bad('checksum mismatch');
    const r = new ByteReader(bytes, bytes.length - 4);
    this.byId = new Map();
    this.byKey = new Map();
    this.postings = new Map();
    this.values = new Map();
    this.rings = new RecentRings(Math.max(1, this.ring));
    this.sampleCount = 0;
    this.nextId = 1;
    try {
      r.u32();
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const id = r.u32();
        const nl = r.u32();
        const labels: Record<string, string> = {};
        for (let j = 0; j < nl; j++) labels[r.str()] = r.str();
        const s = this.addSeries(id, labels, labelsKey(labels));
        s.lastT = r.f64();
        s.lastV = r.f64();
        s.lastStale = r.u8() === 1;
        const nc = r.u32();
        for (let j = 0; j < nc; j++) {
          const c = new Chunk(1);
          c.minT = r.f64();
          c.maxT = r.f64();
          c.count = r.u32();
          const bitLen = r.u32();
          c.frozen = r.bytes((bitLen + 7) >>> 3).slice();
          c.frozenBits = bitLen;
          s.chunks.push(c);
          this.sampleCount += c.count;
        }
        if (this.ring > 0 && nc > 0) this.refillRing(s);
      }
    } catch (e) {
      bad('truncated record', e);
    }
  }
}

/**
 * Creates an empty in-memory series store (see `SeriesStore`). Pure: no timers, no I/O; the
 * caller runs `applyRetention(now)` periodically and persists `snapshot()` / WAL records itself.
 */
export function createSeriesStore(options: SeriesStoreOptions = {}): SeriesStore {
  return new Store(options);
}
