import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../model/samples.js';
import { createSeriesStore } from '../storage/series-store.js';
import { createPromqlEngine } from './engine.js';
import { isFusableAggregation } from './fused-aggregate.js';
import { parsePromql } from './parse.js';

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Series that start and stop at different times, with gaps, staleness markers, counter resets,
 * NaN, ±Inf and values of very different magnitudes (so Kahan summation order matters) up to
 * overflow.
 */
function data() {
  const r = rng(42);
  const store = createSeriesStore();
  for (let s = 0; s < 60; s++) {
    const labels = { __name__: 'm', job: `j${s % 4}`, zone: `z${s % 3}`, instance: `i${s}` };
    const from = Math.floor(r() * 40);
    const to = 80 + Math.floor(r() * 40);
    let v = r() * 100;
    for (let i = from; i < to; i++) {
      const x = r();
      if (x < 0.08) continue; // missed scrape
      const t = i * 15_000 + Math.floor(r() * 2000);
      if (x < 0.1) {
        store.append(labels, t, STALE_NAN);
        continue;
      }
      if (x < 0.11) v = 0; // counter reset
      else v += r() * (s % 5 === 0 ? 1e12 : 10);
      const special = r();
      let val = special < 0.01 ? NaN : special < 0.015 ? Infinity : special < 0.02 ? -Infinity : s % 7 === 0 ? -v : v;
      // Huge values overflow sums to ±Inf (avg then falls back to an incremental mean).
      if (s % 11 === 0 && special > 0.3) val = (special > 0.65 ? 1 : -1) * 1.5e308;
      store.append(labels, t, val);
    }
  }
  return store;
}

const OPS = ['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar'];
const GROUPINGS = ['', ' by (job)', ' by (job, zone)', ' without (instance)', ' by (nope)'];
const INNER = [
  ['m', '(m * 1)'],
  ['rate(m[2m])', '(rate(m[2m]) * 1)'],
  ['max_over_time(m[1m])', '(max_over_time(m[1m]) * 1)'],
  ['last_over_time(m[5m] offset 1m)', '(last_over_time(m[5m] offset 1m) * 1)'],
  ['m @ 900', '(m @ 900 * 1)'],
];

describe('fused (series-at-a-time) aggregation', () => {
  const engine = createPromqlEngine();
  const store = data();

  it('applies only to parameterless streaming-friendly operators', () => {
    expect(isFusableAggregation(parsePromql('sum by (job) (m)') as never)).toBe(true);
    expect(isFusableAggregation(parsePromql('topk(2, m)') as never)).toBe(false);
    expect(isFusableAggregation(parsePromql('quantile(0.5, m)') as never)).toBe(false);
  });

  it('gives bit-identical results to step-at-a-time aggregation (range queries)', () => {
    let compared = 0;
    for (const op of OPS)
      for (const g of GROUPINGS)
        for (const [fused, generic] of INNER) {
          // `* 1` defeats the fused path without changing any value (NaN, ±Inf, -0 included).
          const a = engine.rangeQuery(store, `${op}${g} (${fused})`, 0, 1_800_000, 30_000);
          const b = engine.rangeQuery(store, `${op}${g} (${generic})`, 0, 1_800_000, 30_000);
          expect(a, `${op}${g} (${fused})`).toEqual(b);
          if (a.type === 'matrix') compared += a.series.reduce((n, s) => n + s.points.length, 0);
        }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('agrees with step-at-a-time aggregation in instant queries', () => {
    for (const op of OPS)
      for (const t of [300_000, 700_000, 1_500_000]) {
        const a = engine.instantQuery(store, `${op} by (job, zone) (rate(m[2m]))`, t);
        const b = engine.instantQuery(store, `${op} by (job, zone) (rate(m[2m]) * 1)`, t);
        expect(a).toEqual(b);
        expect(a.type === 'vector' && a.samples.length).toBeGreaterThan(3);
      }
  });

  it('orders groups by their first input series present at that step', () => {
    const s = createSeriesStore();
    // Created (and so selected) in this order: a-late, b, a-early.
    for (const instance of ['late', 'x', 'early']) s.ref({ __name__: 'k', job: instance === 'x' ? 'b' : 'a', instance });
    for (let i = 0; i < 40; i++) {
      if (i >= 20) s.append({ __name__: 'k', job: 'a', instance: 'late' }, i * 15_000, i);
      s.append({ __name__: 'k', job: 'b', instance: 'x' }, i * 15_000, i);
      if (i < 10) s.append({ __name__: 'k', job: 'a', instance: 'early' }, i * 15_000, i);
    }
    // Only a range query shows the per-step order: limitk keeps the first group of each step.
    const r = engine.rangeQuery(s, 'limitk(1, max by (job) (k))', 100_000, 500_000, 400_000);
    const firstAt = (t: number) =>
      r.type === 'matrix' ? r.series.filter((x) => x.points.some((p) => p.t === t)).map((x) => x.labels.job) : [];
    expect(firstAt(100_000)).toEqual(['b']);
    expect(firstAt(500_000)).toEqual(['a']);
  });

  it('still rejects input series that collide on their output labels at one step', () => {
    const s = createSeriesStore();
    for (let i = 0; i < 20; i++) {
      s.append({ __name__: 'x', job: 'a' }, i * 15_000, i);
      s.append({ __name__: 'y', job: 'a' }, i * 15_000, 2 * i);
      if (i < 5) s.append({ __name__: 'z', job: 'b' }, i * 15_000, i);
      if (i > 12) s.append({ __name__: 'w', job: 'b' }, i * 15_000, i);
    }
    expect(() => engine.instantQuery(s, 'sum(rate({__name__=~"x|y"}[1m]))', 200_000)).toThrow(
      'vector cannot contain metrics with the same labelset',
    );
    // z and w also collide once the name is dropped, but never at the same step.
    const r = engine.rangeQuery(s, 'sum(rate({__name__=~"z|w"}[1m]))', 0, 300_000, 15_000);
    expect(r.type === 'matrix' && r.series[0]!.points.length).toBeGreaterThan(5);
  });
});
