import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chunk, decodeChunk } from './chunk.js';
import { STALE_NAN, isStaleNaN } from '../model/samples.js';

function roundTrip(samples: Array<[number, number]>): Array<[number, number]> {
  const c = new Chunk();
  for (const [t, v] of samples) c.append(t, v);
  const out: Array<[number, number]> = [];
  decodeChunk(c.bytes, c.bitLen, c.count, -Infinity, Infinity, (t, v) => out.push([t, v]));
  c.freeze();
  const again: Array<[number, number]> = [];
  decodeChunk(c.bytes, c.bitLen, c.count, -Infinity, Infinity, (t, v) => again.push([t, v]));
  expect(again).toEqual(out);
  return out;
}

describe('Gorilla chunk', () => {
  it('round-trips arbitrary increasing timestamps and any float values bit-exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 2e12 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.double()), { minLength: 1, maxLength: 150 }),
        (start, steps) => {
          let t = start;
          const samples: Array<[number, number]> = steps.map(([d, v]) => [(t += d), v]);
          const out = roundTrip(samples);
          expect(out.length).toBe(samples.length);
          for (let i = 0; i < samples.length; i++) {
            expect(out[i]![0]).toBe(samples[i]![0]);
            expect(Object.is(out[i]![1], samples[i]![1])).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the StaleNaN bit pattern distinct from ordinary NaN', () => {
    // appended directly: a NaN stored in a plain JS array literal may lose its payload
    const c = new Chunk();
    c.append(1000, 1);
    c.append(2000, NaN);
    c.append(3000, STALE_NAN);
    c.append(4000, 5);
    const vals = new Float64Array(4);
    let i = 0;
    decodeChunk(c.bytes, c.bitLen, c.count, -Infinity, Infinity, (_t, v) => (vals[i++] = v));
    expect(isStaleNaN(vals[1]!)).toBe(false);
    expect(Number.isNaN(vals[1]!)).toBe(true);
    expect(isStaleNaN(vals[2]!)).toBe(true);
    expect(vals[3]).toBe(5);
  });

  it('filters by [mint, maxt] inclusive', () => {
    const c = new Chunk();
    for (let i = 0; i < 10; i++) c.append(i * 1000, i);
    const ts: number[] = [];
    decodeChunk(c.bytes, c.bitLen, c.count, 2000, 5000, (t) => ts.push(t));
    expect(ts).toEqual([2000, 3000, 4000, 5000]);
  });

  it('stores a regular 15 s counter in well under 4 bytes per sample', () => {
    const c = new Chunk();
    let v = 1000;
    for (let i = 0; i < 120; i++) c.append(1_700_000_000_000 + i * 15_000, (v += Math.floor((i * 7919) % 13)));
    c.freeze();
    expect(c.byteLength / 120).toBeLessThan(4);
  });
});
