import { describe, expect, it } from 'vitest';
import { createMemoryQueryable } from '../../test/promql-memory-queryable.js';
import { STALE_NAN } from '../model/samples.js';
import { createPromqlEngine } from './engine.js';
import { PromqlEvalError } from './errors.js';

function data() {
  const q = createMemoryQueryable();
  for (let i = 0; i <= 100; i++) {
    q.add({ __name__: 'c', job: 'a' }, i * 15_000, i * 10);
    q.add({ __name__: 'c', job: 'b' }, i * 15_000, i * 20);
  }
  return q;
}

describe('createPromqlEngine', () => {
  const engine = createPromqlEngine();

  it('evaluates selectors with lookback, offset and @', () => {
    const q = data();
    expect(engine.instantQuery(q, 'c{job="a"}', 1_000_000)).toEqual({
      type: 'vector',
      samples: [{ labels: { __name__: 'c', job: 'a' }, value: 660, timestamp: 1_000_000 }],
    });
    const off = engine.instantQuery(q, 'c{job="a"} offset 5m', 1_000_000);
    expect(off.type === 'vector' && off.samples[0]!.value).toBe(460);
    const at = engine.instantQuery(q, 'c{job="a"} @ 60', 1_000_000);
    expect(at.type === 'vector' && at.samples[0]!.value).toBe(40);
    // Last sample at 1500 s; lookback is 5 m, left-open.
    expect(engine.instantQuery(q, 'c', 1_799_999)).toMatchObject({ type: 'vector', samples: [{}, {}] });
    expect(engine.instantQuery(q, 'c', 1_800_000)).toEqual({ type: 'vector', samples: [] });
  });

  it('hides series after a staleness marker', () => {
    const q = createMemoryQueryable();
    q.add({ __name__: 'g' }, 0, 1);
    q.add({ __name__: 'g' }, 15_000, STALE_NAN);
    expect(engine.instantQuery(q, 'g', 10_000)).toMatchObject({ samples: [{ value: 1 }] });
    expect(engine.instantQuery(q, 'g', 20_000)).toEqual({ type: 'vector', samples: [] });
  });

  it('computes rate with extrapolation and aggregates', () => {
    const q = data();
    const v = engine.instantQuery(q, 'sum(rate(c[5m]))', 1_000_000);
    expect(v.type === 'vector' && v.samples[0]!.value).toBeCloseTo(2, 12);
    const r = engine.rangeQuery(q, 'sum by (job) (increase(c[1m]))', 600_000, 720_000, 60_000);
    expect(r.type).toBe('matrix');
    if (r.type !== 'matrix') return;
    expect(r.series.map((s) => s.labels)).toEqual([{ job: 'a' }, { job: 'b' }]);
    expect(r.series[0]!.points).toEqual([
      { t: 600_000, v: 40 },
      { t: 660_000, v: 40 },
      { t: 720_000, v: 40 },
    ]);
  });

  it('returns scalars, strings and matrices for instant queries', () => {
    const q = data();
    expect(engine.instantQuery(q, '1 + 2 * 3', 5000)).toEqual({ type: 'scalar', value: 7, timestamp: 5000 });
    expect(engine.instantQuery(q, '-2 ^ 2', 5000)).toEqual({ type: 'scalar', value: -4, timestamp: 5000 });
    expect(engine.instantQuery(q, '"x"', 5000)).toEqual({ type: 'string', value: 'x', timestamp: 5000 });
    const m = engine.instantQuery(q, 'c{job="a"}[30s]', 30_000);
    expect(m).toEqual({ type: 'matrix', series: [{ labels: { __name__: 'c', job: 'a' }, points: [{ t: 15_000, v: 10 }, { t: 30_000, v: 20 }] }] });
  });

  it('raises the duplicate label set errors', () => {
    const q = data();
    expect(() => engine.instantQuery(q, 'c * on() c', 1_000_000)).toThrow(/found duplicate series for the match group/);
    q.add({ __name__: 'd', job: 'a' }, 1_000_000, 1);
    expect(() => engine.instantQuery(q, 'abs({job="a"})', 1_000_000)).toThrow('vector cannot contain metrics with the same labelset');
    try {
      engine.instantQuery(q, 'abs({job="a"})', 1_000_000);
    } catch (e) {
      expect(e).toBeInstanceOf(PromqlEvalError);
      expect((e as PromqlEvalError).code).toBe('VIGIL_ERR_PROMQL_EVAL');
    }
  });

  it('enforces maxSamples', () => {
    const small = createPromqlEngine({ maxSamples: 10 });
    expect(() => small.instantQuery(data(), 'c[10m]', 1_000_000)).toThrow(/too many samples/);
  });

  it('rejects range queries over range vectors', () => {
    expect(() => engine.rangeQuery(data(), 'c[5m]', 0, 60_000, 15_000)).toThrow(/invalid expression type "range vector"/);
  });
});
