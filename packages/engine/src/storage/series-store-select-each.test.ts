import { describe, expect, it } from 'vitest';
import { parsePromql } from '../promql/parse.js';
import type { SeriesSamples } from '../model/queryable.js';
import { STALE_NAN, isStaleNaN } from '../model/samples.js';
import { createSeriesStore } from './series-store.js';

function matchersOf(selector: string) {
  const e = parsePromql(selector);
  if (e.kind !== 'vectorSelector') throw new Error('not a selector');
  return e.matchers;
}

/** A kept copy of a streamed series (its arrays are only valid during the callback). */
function copy(s: SeriesSamples) {
  return {
    labels: s.labels,
    t: Array.from(s.timestamps),
    v: Array.from(s.values, (x) => (isStaleNaN(x) ? 'stale' : x)),
  };
}

describe('SeriesStore.selectEach', () => {
  const store = createSeriesStore({ chunkSamples: 16, recentSamples: 8 });
  for (let s = 0; s < 30; s++) {
    const labels = { __name__: 'x', job: `j${s % 3}`, i: `${s}` };
    for (let k = 0; k < 20 + s * 5; k++) store.append(labels, k * 15_000, k % 17 === 16 ? STALE_NAN : k * s);
  }

  it('streams the same series, in the same order, with the same samples as select', () => {
    let sawStale = false;
    for (const [sel, mint, maxt] of [
      ['x', 0, 3_000_000],
      ['x{job="j1"}', 100_000, 700_000],
      ['x{i=~"2.*"}', 1_000_000, 1_900_000],
      ['x', 2_380_000, 2_500_000], // the two longest series, served from their recent-sample rings
    ] as const) {
      const want = store.select(matchersOf(sel), mint, maxt).map(copy);
      const got: ReturnType<typeof copy>[] = [];
      store.selectEach!(matchersOf(sel), mint, maxt, (s) => got.push(copy(s)));
      expect(got, sel).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
      sawStale ||= want.some((s) => s.v.includes('stale'));
    }
    expect(sawStale).toBe(true);
  });

  it('gives a nested selectEach its own arrays', () => {
    for (const [mint, maxt] of [
      [0, 3_000_000],
      [2_380_000, 2_500_000], // ring path
    ] as const) {
      const outer: ReturnType<typeof copy>[] = [];
      store.selectEach!(matchersOf('x{i=~"2.*"}'), mint, maxt, (s) => {
        const before = copy(s);
        store.selectEach!(matchersOf('x{i=~"1.*"}'), 0, 3_000_000, () => undefined);
        store.selectEach!(matchersOf('x{i=~"2.*"}'), mint, maxt, () => undefined);
        expect(copy(s)).toEqual(before);
        outer.push(before);
      });
      expect(outer).toEqual(store.select(matchersOf('x{i=~"2.*"}'), mint, maxt).map(copy));
      expect(outer.length).toBeGreaterThan(1);
    }
  });
});
