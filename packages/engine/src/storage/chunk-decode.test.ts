import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chunk, decodeChunk, decodeChunkInto } from './chunk.js';

/** Raw 64-bit words of a double (keeps NaN payloads comparable). */
function bitsOf(v: number): string {
  const f = new Float64Array([v]);
  const u = new Uint32Array(f.buffer);
  return `${u[0]}:${u[1]}`;
}

// Delta sizes that reach every delta-of-delta bucket (0, 7, 9, 12, 32 and 64 bits).
const deltaArb = fc.oneof(
  fc.constant(15_000),
  fc.integer({ min: 14_950, max: 15_050 }),
  fc.integer({ min: 14_000, max: 16_000 }),
  fc.integer({ min: 1, max: 2 ** 31 }),
  fc.integer({ min: 1, max: 2 ** 45 }),
);
// Values that exercise the XOR encoding: repeats, small steps, arbitrary doubles.
const valueArb = fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 1000 }), fc.double());

describe('decodeChunkInto (the select fast path)', () => {
  it('decodes exactly what decodeChunk decodes, bit for bit, open or frozen, with any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 2e12 }),
        fc.array(fc.tuple(deltaArb, valueArb), { minLength: 1, maxLength: 130 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (start, steps, f1, f2, freeze) => {
          let t = start;
          const c = new Chunk();
          for (const [d, v] of steps) c.append((t += d), v);
          if (freeze) c.freeze();
          const span = t - start;
          const mint = start + Math.min(f1, f2) * span;
          const maxt = start + Math.max(f1, f2) * span;
          const want: string[] = [];
          decodeChunk(c.bytes, c.bitLen, c.count, mint, maxt, (ts, v) => want.push(`${ts}=${bitsOf(v)}`));
          const ts = new Float64Array(c.count + 3);
          const vs = new Float64Array(c.count + 3);
          const end = decodeChunkInto(c.bytes, c.bitLen, c.count, mint, maxt, ts, new Uint32Array(vs.buffer), 3);
          const got: string[] = [];
          for (let i = 3; i < end; i++) got.push(`${ts[i]}=${bitsOf(vs[i]!)}`);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('throws on a truncated chunk instead of reading garbage', () => {
    const c = new Chunk();
    for (let i = 0; i < 50; i++) c.append(i * 15_000 + (i % 3), i * 1.5);
    c.freeze();
    const ts = new Float64Array(50);
    const vs = new Uint32Array(100);
    expect(() => decodeChunkInto(c.bytes.subarray(0, 40), 40 * 8, 50, -Infinity, Infinity, ts, vs, 0)).toThrow(RangeError);
  });
});
