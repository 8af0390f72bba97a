import type { Labels } from '../model/labels.js';
import { ByteReader, ByteWriter, crc32 } from './bytes.js';

/** One sample of a WAL `samples` record: series ref (the store's series id), timestamp (ms), value. */
export interface WalSample {
  readonly ref: number;
  readonly t: number;
  readonly v: number;
}

/**
 * A write-ahead-log record: `series` introduces a series ref with its labels; `samples` carries
 * appended samples (including staleness markers) by ref.
 */
export type WalRecord =
  | { readonly type: 'series'; readonly ref: number; readonly labels: Labels }
  | { readonly type: 'samples'; readonly samples: readonly WalSample[] };

/** Result of `decodeWalRecords`: records up to the first torn/corrupt frame, and where that was. */
export interface DecodedWal {
  readonly records: WalRecord[];
  /** Bytes of fully valid frames from the start; anything after is a torn or corrupt tail. */
  readonly validLength: number;
  /** True when bytes after `validLength` were ignored. */
  readonly torn: boolean;
}

const HEADER = 8;

/**
 * Encodes one WAL record as a self-checking frame: u32 payload length, u32 CRC-32 of the payload,
 * payload (little-endian). Frames can be concatenated into a segment file.
 */
export function encodeWalRecord(record: WalRecord): Uint8Array {
  const w = new ByteWriter();
  w.u32(0);
  w.u32(0);
  if (record.type === 'series') {
    w.u8(1);
    w.u32(record.ref);
    const names = Object.keys(record.labels).filter((n) => record.labels[n] !== '');
    w.u32(names.length);
    for (const n of names) {
      w.str(n);
      w.str(record.labels[n]!);
    }
  } else {
    w.u8(2);
    w.u32(record.samples.length);
    for (const s of record.samples) {
      w.u32(s.ref);
      w.f64(s.t);
      w.f64(s.v);
    }
  }
  const out = w.finish();
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length - HEADER, true);
  view.setUint32(4, crc32(out, HEADER), true);
  return out;
}

/**
 * Decodes concatenated WAL frames. Stops at the first frame that is incomplete or fails its CRC
 * (a write torn by a crash) and reports it through `torn`/`validLength` instead of throwing.
 */
export function decodeWalRecords(bytes: Uint8Array): DecodedWal {
  const records: WalRecord[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + HEADER <= bytes.length) {
    const len = view.getUint32(pos, true);
    const crc = view.getUint32(pos + 4, true);
    const end = pos + HEADER + len;
    if (len === 0 || end > bytes.length || crc32(bytes, pos + HEADER, end) !== crc) break;
    const rec = decodePayload(new ByteReader(bytes.subarray(pos + HEADER, end)));
    if (!rec) break;
    records.push(rec);
    pos = end;
  }
  return { records, validLength: pos, torn: pos < bytes.length };
}

function decodePayload(r: ByteReader): WalRecord | undefined {
  try {
    const type = r.u8();
    if (type === 1) {
      const ref = r.u32();
      const n = r.u32();
      const labels: Record<string, string> = {};
      for (let i = 0; i < n; i++) labels[r.str()] = r.str();
      return { type: 'series', ref, labels };
    }
    if (type === 2) {
      const n = r.u32();
      const samples: WalSample[] = [];
      for (let i = 0; i < n; i++) samples.push({ ref: r.u32(), t: r.f64(), v: r.f64() });
      return { type: 'samples', samples };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * A growing `samples` WAL record held as bytes: `add()` writes each sample straight into a buffer,
 * so buffering a second of samples costs no object per sample (objects that live that long are
 * promoted to V8's old generation and linger until a full GC).
 */
export interface WalSampleBatch {
  /** Appends one sample; the value's bits (StaleNaN) are kept. */
  add(ref: number, t: number, v: number): void;
  /** Samples added since the last `take()`. */
  readonly count: number;
  /** The batch as one frame, exactly what `encodeWalRecord({ type: 'samples', ... })` writes; then empties it. */
  take(): Uint8Array;
}

const SAMPLE_BYTES = 20;
const SAMPLES_HEAD = HEADER + 5;

/** Creates an empty WAL sample batch (see `WalSampleBatch`). */
export function createWalSampleBatch(): WalSampleBatch {
  let buf = new Uint8Array(SAMPLES_HEAD + 1024 * SAMPLE_BYTES);
  let view = new DataView(buf.buffer);
  let n = 0;
  return {
    add(ref, t, v) {
      const at = SAMPLES_HEAD + n * SAMPLE_BYTES;
      if (at + SAMPLE_BYTES > buf.length) {
        const next = new Uint8Array(buf.length * 2);
        next.set(buf.subarray(0, at));
        buf = next;
        view = new DataView(buf.buffer);
      }
      view.setUint32(at, ref, true);
      view.setFloat64(at + 4, t, true);
      view.setFloat64(at + 12, v, true);
      n++;
    },
    get count() {
      return n;
    },
    take() {
      const end = SAMPLES_HEAD + n * SAMPLE_BYTES;
      view.setUint32(0, end - HEADER, true);
      buf[HEADER] = 2;
      view.setUint32(HEADER + 1, n, true);
      view.setUint32(4, crc32(buf, HEADER, end), true);
      const out = buf.slice(0, end);
      n = 0;
      return out;
    },
  };
}
