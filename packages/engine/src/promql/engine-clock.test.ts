import { describe, expect, it } from 'vitest';
import { createSeriesStore } from '../storage/series-store.js';
import { createPromqlEngine } from './engine.js';
import { PromqlEvalError } from './errors.js';

// A query long enough to pass the evaluator's periodic deadline checks (every 4096 steps of work).
function bigStore(): ReturnType<typeof createSeriesStore> {
  const store = createSeriesStore();
  for (let s = 0; s < 20; s++) for (let t = 0; t <= 3_600_000; t += 15_000) store.append({ __name__: 'm', i: String(s), le: String(s) }, t, t / 1000);
  return store;
}
const expr = 'histogram_quantile(0.5, sum by (le) (rate(m[1m])))';

describe('query timeout clock', () => {
  it('measures the deadline on the engine clock, not Date.now (a monotonic clock must not time every query out)', () => {
    // performance.now()-like clock: far below Date.now(); the query must still run.
    let t = 0;
    const engine = createPromqlEngine({ now: () => t, timeoutMs: 1000 });
    const v = engine.rangeQuery(bigStore(), expr, 0, 3_600_000, 1000);
    expect(v.type).toBe('matrix');
    // The same clock past the deadline does time the query out.
    const late = createPromqlEngine({ now: () => (t += 600), timeoutMs: 1000 });
    expect(() => late.rangeQuery(bigStore(), expr, 0, 3_600_000, 1000)).toThrow(PromqlEvalError);
  });
});
