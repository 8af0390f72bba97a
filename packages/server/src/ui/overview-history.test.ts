import { createPromqlEngine, createSeriesStore, type PromqlEngine } from '@vigil/engine';
import { describe, expect, it } from 'vitest';
import { computeOverview, type OverviewSources } from './overview.js';
import { createOverviewHistory } from './overview-history.js';

const T0 = 1_700_000_003_000;

/** A live store: samples every 15 s from `from`, appended as the test's clock advances. */
function live(from: number) {
  const store = createSeriesStore();
  let next = from;
  let i = 0;
  const advance = (to: number): void => {
    for (; next <= to; next += 15_000, i++) {
      for (const [job, rate] of [['api', 7], ['web', 3]] as const) {
        const base = { job, instance: `${job}:1` };
        // A counter with a reset in the middle, and varying gauges: each point differs.
        const c = (i % 500) * 15 * rate;
        store.append({ __name__: 'http_requests_total', ...base, status_code: '200' }, next, c);
        store.append({ __name__: 'http_requests_total', ...base, status_code: '503' }, next, Math.floor(c / 10));
        for (const [le, f] of [['0.1', 0.3], ['0.5', 0.8], ['+Inf', 1]] as const) store.append({ __name__: 'http_request_duration_seconds_bucket', ...base, le }, next, Math.floor(c * f));
        store.append({ __name__: 'cpu_usage_percent', ...base }, next, 20 + (i % 37));
      }
    }
  };
  return { store, advance };
}

/** Records the time span of every range query the engine runs. */
function spying(): { engine: PromqlEngine; spans: number[] } {
  const inner = createPromqlEngine();
  const spans: number[] = [];
  const engine: PromqlEngine = {
    ...inner,
    rangeQuery: (q, expr, s, e, step) => {
      spans.push(e - s);
      return inner.rangeQuery(q, expr, s, e, step);
    },
  };
  return { engine, spans };
}

describe('createOverviewHistory', () => {
  it('gives the same overview as a fresh computation while evaluating only the newest minutes', async () => {
    let now = T0;
    const { store, advance } = live(T0 - 26 * 3_600_000);
    advance(now);
    const { engine, spans } = spying();
    const src = (e: PromqlEngine): OverviewSources => ({ engine: e, queryable: store, now: () => now, targets: () => [], probes: () => [], alerts: () => [] });
    const history = createOverviewHistory({ settleMs: 300_000, rebuildMs: 86_400_000 });
    for (const step of [0, 7_000, 60_000, 720_000, 3_600_000]) {
      now += step;
      advance(now);
      for (const rangeMs of [3_600_000, 86_400_000]) {
        spans.length = 0;
        const reused = await computeOverview(src(engine), { rangeMs, history });
        const fresh = await computeOverview(src(createPromqlEngine()), { rangeMs });
        expect(reused.times).toEqual(fresh.times);
        expect(reused.services).toEqual(fresh.services);
        expect(reused.services.map((s) => s.name)).toEqual(['api', 'web']);
        expect(reused.services[0]!.series.request_rate.filter((v) => v !== null).length).toBeGreaterThan(50);
        // After the first computation of a window, queries span only the time since the last one
        // plus the settle time (5 min) and a step.
        if (step > 0) expect(Math.max(...spans)).toBeLessThanOrEqual(Math.min(rangeMs, step + 300_000 + reused.range.step * 1000));
        else expect(Math.max(...spans)).toBeGreaterThanOrEqual(rangeMs - reused.range.step * 1000);
      }
    }
  });

  it('shows samples that arrived late after a rebuild', async () => {
    let now = T0;
    const store = createSeriesStore();
    for (let t = T0 - 3_600_000; t <= T0; t += 15_000) store.append({ __name__: 'cpu_usage_percent', job: 'api' }, t, 10);
    const src: OverviewSources = { engine: createPromqlEngine(), queryable: store, now: () => now, targets: () => [], probes: () => [], alerts: () => [] };
    const history = createOverviewHistory({ settleMs: 60_000, rebuildMs: 600_000 });
    await computeOverview(src, { rangeMs: 3_600_000, history });
    // A second series whose old samples arrive only now (a backfill).
    for (let t = T0 - 3_600_000; t <= T0 + 120_000; t += 15_000) store.append({ __name__: 'cpu_usage_percent', job: 'late' }, t, 50);
    for (let t = T0 + 15_000; t <= T0 + 120_000; t += 15_000) store.append({ __name__: 'cpu_usage_percent', job: 'api' }, t, 10);
    now = T0 + 120_000;
    const before = (await computeOverview(src, { rangeMs: 3_600_000, history })).services.find((s) => s.name === 'late')!;
    // Settled points came from the history (without the late series); the window start and the
    // newest minutes are evaluated afresh and have it.
    expect(before.series.cpu_percent.slice(1, 100).every((v) => v === null)).toBe(true);
    expect(before.series.cpu_percent.at(-1)).toBe(50);
    now = T0 + 600_000;
    for (let t = T0 + 135_000; t <= now; t += 15_000) for (const job of ['api', 'late']) store.append({ __name__: 'cpu_usage_percent', job }, t, job === 'late' ? 50 : 10);
    const after = (await computeOverview(src, { rangeMs: 3_600_000, history })).services.find((s) => s.name === 'late')!;
    expect(after.series.cpu_percent.every((v) => v === 50)).toBe(true);
  });
});
