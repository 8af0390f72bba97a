import { BitReader, BitWriter } from './bits.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// little-endian platforms: u32[1] is the high word
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}
function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Writes a signed delta-of-delta with Gorilla-style buckets. */
function writeDod(w: BitWriter, dod: number): void {
  if (dod === 0) w.write(0, 1);
  else if (dod >= -64 && dod <= 63) {
    w.write(0b10, 2);
    w.write(dod & 0x7f, 7);
  } else if (dod >= -256 && dod <= 255) {
    w.write(0b110, 3);
    w.write(dod & 0x1ff, 9);
  } else if (dod >= -2048 && dod <= 2047) {
    w.write(0b1110, 4);
    w.write(dod & 0xfff, 12);
  } else if (dod >= -0x80000000 && dod <= 0x7fffffff) {
    w.write(0b11110, 5);
    w.write(dod >>> 0, 32);
  } else {
    w.write(0b11111, 5);
    f64[0] = dod;
    w.write(u32[HI]!, 32);
    w.write(u32[LO]!, 32);
  }
}

function signExtend(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

function readDod(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return signExtend(r.read(7), 7);
  if (r.readBit() === 0) return signExtend(r.read(9), 9);
  if (r.readBit() === 0) return signExtend(r.read(12), 12);
  if (r.readBit() === 0) return signExtend(r.read(32), 32);
  u32[HI] = r.read(32);
  u32[LO] = r.read(32);
  return f64[0]!;
}

const FROZEN_WRITER = new BitWriter(0);

/**
 * An append-only compressed chunk of samples (internal): timestamps as delta-of-delta, values as
 * XOR against the previous value (Gorilla). Holds the encoder state needed to keep appending.
 */
export class Chunk {
  w: BitWriter;
  count = 0;
  minT = 0;
  maxT = 0;
  private prevDelta = 0;
  private prevHi = 0;
  private prevLo = 0;
  private leading = 0xff;
  private trailing = 0;
  /** Frozen bytes once the chunk is closed. */
  frozen: Uint8Array | undefined;
  frozenBits = 0;

  constructor(initialBytes = 32) {
    this.w = new BitWriter(initialBytes);
  }

  append(t: number, v: number): void {
    // A frozen chunk shares one empty writer with every other frozen chunk: never write to it.
    if (this.frozen) throw new RangeError('append to a frozen chunk');
    const w = this.w;
    f64[0] = v;
    const hi = u32[HI]!;
    const lo = u32[LO]!;
    if (this.count === 0) {
      f64[0] = t;
      w.write(u32[HI]!, 32);
      w.write(u32[LO]!, 32);
      w.write(hi, 32);
      w.write(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      writeDod(w, delta - this.prevDelta);
      this.prevDelta = delta;
      this.writeValue(hi, lo);
    }
    this.prevHi = hi;
    this.prevLo = lo;
    this.maxT = t;
    this.count++;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const xh = (hi ^ this.prevHi) >>> 0;
    const xl = (lo ^ this.prevLo) >>> 0;
    if (xh === 0 && xl === 0) {
      w.write(0, 1);
      return;
    }
    let lead = clz64(xh, xl);
    const trail = ctz64(xh, xl);
    if (lead > 31) lead = 31;
    if (this.leading !== 0xff && lead >= this.leading && trail >= this.trailing) {
      w.write(0b10, 2);
      writeBits64(w, xh, xl, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    const sig = 64 - lead - trail;
    w.write(0b11, 2);
    w.write(lead, 5);
    w.write(sig & 63, 6); // 64 encoded as 0
    writeBits64(w, xh, xl, trail, sig);
    this.leading = lead;
    this.trailing = trail;
  }

  /** Closes the chunk: trims its buffer; no more appends. */
  freeze(): void {
    if (this.frozen) return;
    this.frozen = this.w.finish();
    this.frozenBits = this.w.bitLen;
    // Drop the growable buffer without allocating a new one per closed chunk.
    this.w = FROZEN_WRITER;
  }

  get bytes(): Uint8Array {
    return this.frozen ?? this.w.bytes.subarray(0, this.w.byteLength);
  }
  get bitLen(): number {
    return this.frozen ? this.frozenBits : this.w.bitLen;
  }
  get byteLength(): number {
    return this.frozen ? this.frozen.length : this.w.byteLength;
  }
}

/** Writes `n` bits of the 64-bit value (hi, lo) starting at bit `shift` from the bottom. */
function writeBits64(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((l >>> shift) | (h << (32 - shift))) >>> 0;
    h = h >>> shift;
  }
  if (n > 32) {
    w.write(h, n - 32);
    w.write(l, 32);
  } else w.write(l, n);
}

function readBits64(r: BitReader, n: number, shift: number): [number, number] {
  let h = 0;
  let l: number;
  if (n > 32) {
    h = r.read(n - 32);
    l = r.read(32);
  } else l = r.read(n);
  if (shift >= 32) return [(l << (shift - 32)) >>> 0, 0];
  if (shift > 0) return [((h << shift) | (l >>> (32 - shift))) >>> 0, (l << shift) >>> 0];
  return [h >>> 0, l >>> 0];
}

/**
 * Decodes `count` samples from chunk bytes, calling `emit(t, v)` for each with `mint ≤ t ≤ maxt`
 * (decoding stops once past `maxt`).
 */
export function decodeChunk(
  bytes: Uint8Array,
  bitLen: number,
  count: number,
  mint: number,
  maxt: number,
  emit: (t: number, v: number) => void,
): void {
  if (count === 0) return;
  const r = new BitReader(bytes, bitLen);
  u32[HI] = r.read(32);
  u32[LO] = r.read(32);
  let t = f64[0]!;
  let hi = r.read(32);
  let lo = r.read(32);
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  for (let i = 0; ; ) {
    if (t > maxt) return;
    if (t >= mint) {
      u32[HI] = hi;
      u32[LO] = lo;
      emit(t, f64[0]!);
    }
    if (++i >= count) return;
    delta += readDod(r);
    t += delta;
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.read(5);
        let sig = r.read(6);
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
      }
      const [xh, xl] = readBits64(r, 64 - leading - trailing, trailing);
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
  }
}

// ---- fast decoder into typed arrays (used by select) ----

/** Slow path of `peek32` near the end of the buffer: bytes past the end read as zero. */
function peek32Tail(b: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  const n = b.length;
  const off = pos & 7;
  const w = ((i < n ? b[i]! : 0) << 24) | ((i + 1 < n ? b[i + 1]! : 0) << 16) | ((i + 2 < n ? b[i + 2]! : 0) << 8) | (i + 3 < n ? b[i + 3]! : 0);
  return off === 0 ? w : (w << off) | ((i + 4 < n ? b[i + 4]! : 0) >>> (8 - off));
}

/**
 * The 32 bits starting at bit `pos` (MSB first) as an int32; callers extract fields with `>>>`.
 * A pure function of its arguments, so V8 inlines it into the decode loop (the cursor stays in a
 * register instead of module state).
 */
function peek32(b: Uint8Array, pos: number): number {
  const i = pos >>> 3;
  if (i + 4 >= b.length) return peek32Tail(b, pos);
  const off = pos & 7;
  const w = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
  return off === 0 ? w : (w << off) | (b[i + 4]! >>> (8 - off));
}

/**
 * Decodes the chunk's samples with `mint ≤ t ≤ maxt` into `ts`/`vs` starting at `off`; returns the
 * new end offset. Values are copied as raw 64-bit words, so NaN payloads (StaleNaN) survive.
 */
export function decodeChunkInto(
  bytes: Uint8Array,
  bitLen: number,
  count: number,
  mint: number,
  maxt: number,
  ts: Float64Array,
  vs32: Uint32Array,
  off: number,
): number {
  if (count === 0) return off;
  const b = bytes;
  let pos = 0;
  u32[HI] = peek32(b, 0) >>> 0;
  u32[LO] = peek32(b, 32) >>> 0;
  let t = f64[0]!;
  let hi = peek32(b, 64) >>> 0;
  let lo = peek32(b, 96) >>> 0;
  pos = 128;
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  let o = off;
  for (let i = 0; ; ) {
    if (t > maxt) break;
    if (t >= mint) {
      ts[o] = t;
      vs32[2 * o + HI] = hi;
      vs32[2 * o + LO] = lo;
      o++;
    }
    if (++i >= count) break;
    // timestamp: delta-of-delta with prefix 0 / 10 / 110 / 1110 / 11110 / 11111
    let p = peek32(b, pos);
    if (p >= 0) pos += 1; // dod 0: the common case at regular scrapes
    else if ((p & 0x40000000) === 0) {
      const x = (p >>> 23) & 0x7f;
      delta += x >= 64 ? x - 128 : x;
      pos += 9;
    } else if ((p & 0x20000000) === 0) {
      const x = (p >>> 20) & 0x1ff;
      delta += x >= 256 ? x - 512 : x;
      pos += 12;
    } else if ((p & 0x10000000) === 0) {
      const x = (p >>> 16) & 0xfff;
      delta += x >= 2048 ? x - 4096 : x;
      pos += 16;
    } else if ((p & 0x08000000) === 0) {
      delta += peek32(b, pos + 5); // int32: already sign-extended
      pos += 37;
    } else {
      u32[HI] = peek32(b, pos + 5) >>> 0;
      u32[LO] = peek32(b, pos + 37) >>> 0;
      delta += f64[0]!;
      pos += 69;
    }
    t += delta;
    // value: 0 = same; 10 = XOR within the previous window; 11 = new window (5-bit leading, 6-bit length)
    p = peek32(b, pos);
    if (p >= 0) pos += 1;
    else {
      if ((p & 0x40000000) === 0) pos += 2;
      else {
        leading = (p >>> 25) & 31;
        let sig = (p >>> 19) & 63;
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
        pos += 13;
      }
      const n = 64 - leading - trailing;
      let xh = 0;
      let xl: number;
      if (n > 32) {
        xh = peek32(b, pos) >>> (64 - n);
        xl = peek32(b, pos + n - 32) >>> 0;
      } else xl = peek32(b, pos) >>> (32 - n);
      pos += n;
      // shift (xh, xl) left by `trailing`
      if (trailing >= 32) {
        xh = (xl << (trailing - 32)) >>> 0;
        xl = 0;
      } else if (trailing > 0) {
        xh = ((xh << trailing) | (xl >>> (32 - trailing))) >>> 0;
        xl = (xl << trailing) >>> 0;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    if (pos > bitLen) throw new RangeError('chunk truncated');
  }
  return o;
}
