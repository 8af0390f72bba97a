import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../model/samples.js';
import { RecentRings } from './recent-rings.js';
import { createSeriesStore } from './series-store.js';

/** [t, value] of the slot's newest samples; StaleNaN (checked on the raw bits) shown as 'stale'. */
function read(r: RecentRings, slot: number, count: number): [number, number | 'stale'][] {
  const out: [number, number | 'stale'][] = [];
  const v = new Float64Array(1);
  const v32 = new Uint32Array(v.buffer);
  for (let k = Math.max(0, count - r.size); k < count; k++) {
    r.copyValue(slot, k, v32, 0);
    out.push([r.time(slot, k), isStaleNaN(v[0]!) ? 'stale' : v[0]!]);
  }
  return out;
}

describe('RecentRings', () => {
  it('keeps the newest `size` samples of each slot apart, across pages, StaleNaN bits included', () => {
    const r = new RecentRings(4);
    const slots = Array.from({ length: 600 }, () => r.alloc());
    expect(new Set(slots).size).toBe(600);
    slots.forEach((slot, i) => {
      for (let n = 0; n < 6; n++) r.put(slot, n, n * 1000, n === 5 ? STALE_NAN : i * 10 + n);
    });
    for (const i of [0, 255, 256, 599]) {
      const got = read(r, slots[i]!, 6);
      expect(got.map(([t]) => t)).toEqual([2000, 3000, 4000, 5000]);
      expect(got.slice(0, 3).map(([, v]) => v)).toEqual([i * 10 + 2, i * 10 + 3, i * 10 + 4]);
      expect(got[3]![1]).toBe('stale');
    }
    expect(r.bytes).toBe(3 * 256 * 4 * 16);
  });

  it('hands a freed slot out again', () => {
    const r = new RecentRings(2);
    const a = r.alloc();
    r.alloc();
    r.free(a);
    expect(r.alloc()).toBe(a);
  });
});

describe('series store rings after retention', () => {
  it('a new series in a reused ring slot answers only its own samples', () => {
    const store = createSeriesStore({ recentSamples: 8 });
    for (let t = 1; t <= 5; t++) store.append({ __name__: 'old' }, t * 1000, t);
    store.append({ __name__: 'kept' }, 100_000, 1);
    expect(store.truncateBefore(50_000)).toBe(1);
    store.append({ __name__: 'fresh' }, 200_000, 42);
    store.append({ __name__: 'fresh' }, 201_000, 43);
    const got = store.select([{ type: '=', name: '__name__', value: 'fresh' }], 0, Infinity);
    expect(got.map((s) => [Array.from(s.timestamps), Array.from(s.values)])).toEqual([[[200_000, 201_000], [42, 43]]]);
    expect(store.select([{ type: '=', name: '__name__', value: 'old' }], 0, Infinity)).toEqual([]);
  });
});
