import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../model/values.js';
import { STALE_NAN } from '../model/samples.js';
import { createSeriesStore } from '../storage/series-store.js';
import { createPromqlEngine } from './engine.js';

function data() {
  const store = createSeriesStore();
  for (let s = 0; s < 40; s++) {
    const labels = { __name__: 'm', job: `j${s % 4}`, instance: `i${s}` };
    let v = s;
    for (let i = s % 7; i < 100 - (s % 5) * 9; i++) {
      if ((i + s) % 11 === 0) continue; // missed scrape
      if ((i * s) % 37 === 5) store.append(labels, i * 15_000 + s, STALE_NAN);
      else store.append(labels, i * 15_000 + s, (v += (i * s) % 13) * (s % 9 === 0 ? -1 : 1));
    }
  }
  return store;
}

/** The result without `__name__` (the `* 1` reference drops it). */
function unnamed(r: QueryValue): QueryValue {
  if (r.type !== 'matrix') return r;
  return { type: 'matrix', series: r.series.map(({ labels: { __name__: _n, ...rest }, points }) => ({ labels: rest, points })) };
}

describe('range queries of selectors and range functions (streamed series by series)', () => {
  const engine = createPromqlEngine();
  const store = data();

  it('equal the step-wise evaluation', () => {
    for (const e of ['m', 'm offset 2m', 'rate(m[2m])', 'max_over_time(m[1m])', 'last_over_time(m[5m])', 'changes(m[3m] @ 600)', 'quantile_over_time(0.3, m[4m])']) {
      const streamed = engine.rangeQuery(store, e, 0, 1_600_000, 30_000);
      // `* 1` is evaluated step-wise and changes no value, only drops the metric name.
      const stepwise = engine.rangeQuery(store, `(${e}) * 1`, 0, 1_600_000, 30_000);
      expect(unnamed(streamed), e).toEqual(stepwise);
      expect(streamed.type === 'matrix' && streamed.series.length, e).toBeGreaterThan(10);
    }
  });

  it('keeps duplicate-label-set errors, and merges colliding series that never meet', () => {
    const s = createSeriesStore();
    for (let i = 0; i < 20; i++) {
      s.append({ __name__: 'x', job: 'a' }, i * 15_000, i);
      s.append({ __name__: 'y', job: 'a' }, i * 15_000, 2 * i);
      if (i < 5) s.append({ __name__: 'z', job: 'b' }, i * 15_000, i);
      if (i > 12) s.append({ __name__: 'w', job: 'b' }, i * 15_000, i);
    }
    expect(() => engine.rangeQuery(s, 'rate({__name__=~"x|y"}[1m])', 0, 300_000, 15_000)).toThrow(
      'vector cannot contain metrics with the same labelset',
    );
    const r = engine.rangeQuery(s, 'rate({__name__=~"z|w"}[1m])', 0, 300_000, 15_000);
    expect(r.type === 'matrix' && r.series.map((x) => [x.labels, x.points.length])).toEqual([[{ job: 'b' }, 13]]);
  });
});
