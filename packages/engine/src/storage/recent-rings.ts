const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const PAGE_BITS = 8;

/**
 * The rings of every series' newest samples, packed into shared pages (internal to the series
 * store). Two typed arrays per series would cost ≈ 350 bytes of object and allocation overhead on
 * top of the samples; a slot in a page of `PAGE` series costs nothing beyond its 16 bytes per
 * sample. Values are kept as raw 64-bit words so NaN payloads (StaleNaN) survive.
 */
export class RecentRings {
  private static readonly PAGE = 1 << PAGE_BITS;
  /** Per page: timestamps (`size` per slot) and values as two 32-bit words each. */
  private readonly times: Float64Array[] = [];
  private readonly words: Uint32Array[] = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;

  constructor(readonly size: number) {}

  /** Takes a free slot (grows by one page when none is left). */
  alloc(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.nextSlot++;
    if ((slot & (RecentRings.PAGE - 1)) === 0) {
      this.times.push(new Float64Array(RecentRings.PAGE * this.size));
      this.words.push(new Uint32Array(RecentRings.PAGE * this.size * 2));
    }
    return slot;
  }

  /** Returns a slot for reuse (its old samples are overwritten before they are read again). */
  free(slot: number): void {
    this.freeSlots.push(slot);
  }

  /** Bytes held by the pages. */
  get bytes(): number {
    return this.times.length * RecentRings.PAGE * this.size * 16;
  }

  /** Stores sample number `n` (0-based count of samples pushed to this slot so far). */
  put(slot: number, n: number, t: number, v: number): void {
    const page = slot >>> PAGE_BITS;
    const i = (slot & (RecentRings.PAGE - 1)) * this.size + (n % this.size);
    this.times[page]![i] = t;
    f64[0] = v;
    const w = this.words[page]!;
    w[2 * i] = u32[0]!;
    w[2 * i + 1] = u32[1]!;
  }

  /** Stores sample number `n` given as raw words (as decoded from a chunk). */
  putWords(slot: number, n: number, t: number, lo: number, hi: number): void {
    const page = slot >>> PAGE_BITS;
    const i = (slot & (RecentRings.PAGE - 1)) * this.size + (n % this.size);
    this.times[page]![i] = t;
    const w = this.words[page]!;
    w[2 * i] = lo;
    w[2 * i + 1] = hi;
  }

  /** Timestamp of sample number `n` of the slot. */
  time(slot: number, n: number): number {
    return this.times[slot >>> PAGE_BITS]![(slot & (RecentRings.PAGE - 1)) * this.size + (n % this.size)]!;
  }

  /** Copies sample number `n`'s raw value words into `out32` at sample index `o`. */
  copyValue(slot: number, n: number, out32: Uint32Array, o: number): void {
    const i = (slot & (RecentRings.PAGE - 1)) * this.size + (n % this.size);
    const w = this.words[slot >>> PAGE_BITS]!;
    out32[2 * o] = w[2 * i]!;
    out32[2 * o + 1] = w[2 * i + 1]!;
  }
}
