/** Growable big-endian bit buffer used by chunk encoding (internal). */
export class BitWriter {
  bytes: Uint8Array;
  /** Number of bits written. */
  bitLen = 0;

  constructor(initialBytes = 32) {
    this.bytes = new Uint8Array(initialBytes);
  }

  private ensure(extraBits: number): void {
    const need = (this.bitLen + extraBits + 7) >>> 3;
    if (need > this.bytes.length) {
      const next = new Uint8Array(Math.max(need, this.bytes.length * 2));
      next.set(this.bytes);
      this.bytes = next;
    }
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 32) of `value`, most significant first. */
  write(value: number, n: number): void {
    if (n === 0) return;
    this.ensure(n);
    const bytes = this.bytes;
    let remaining = n;
    while (remaining > 0) {
      const byteIdx = this.bitLen >>> 3;
      const free = 8 - (this.bitLen & 7);
      const take = remaining < free ? remaining : free;
      const shift = remaining - take;
      const bits = (shift >= 32 ? 0 : value >>> shift) & ((1 << take) - 1);
      bytes[byteIdx]! |= bits << (free - take);
      this.bitLen += take;
      remaining -= take;
    }
  }

  /** Trimmed copy of the written bytes. */
  finish(): Uint8Array {
    return this.bytes.slice(0, (this.bitLen + 7) >>> 3);
  }

  /** Bytes in use (rounded up). */
  get byteLength(): number {
    return (this.bitLen + 7) >>> 3;
  }
}

/** Big-endian bit reader over a byte array (internal). */
export class BitReader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly bitLen: number,
  ) {}

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number; throws past the end. */
  read(n: number): number {
    if (this.pos + n > this.bitLen) throw new RangeError('chunk truncated');
    let out = 0;
    let remaining = n;
    while (remaining > 0) {
      const byte = this.bytes[this.pos >>> 3]!;
      const avail = 8 - (this.pos & 7);
      const take = remaining < avail ? remaining : avail;
      const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = out * (1 << take) + bits;
      this.pos += take;
      remaining -= take;
    }
    return out;
  }

  readBit(): number {
    if (this.pos >= this.bitLen) throw new RangeError('chunk truncated');
    const b = (this.bytes[this.pos >>> 3]! >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }
}
