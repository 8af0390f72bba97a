import { createPromqlEngine, createSeriesStore, type Labels } from '@vigil/engine';
import { describe, expect, it } from 'vitest';
import type { ApiAlert } from '../api/types.js';
import type { ProbeConfig } from '../config/types.js';
import type { ProbeStatus } from '../probes/manager.js';
import type { TargetStatus } from '../scrape/manager.js';
import type { ScrapeTarget } from '../scrape/targets.js';
import { computeOverview, overviewStep, quantile } from './overview.js';
import type { OverviewSources } from './overview.js';

const NOW = 1_700_000_000_000;
const START = NOW - 3_600_000;

function target(job: string, url: string, labels: Labels, health: TargetStatus['health']): TargetStatus {
  const t = { key: `${job}${url}`, job, url, labels: { job, instance: new URL(url).host, ...labels }, discoveredLabels: {}, config: {} } as unknown as ScrapeTarget;
  return { target: t, health, lastError: health === 'down' ? 'connection refused' : '', lastScrape: NOW - 1000, lastScrapeDurationSeconds: 0.01, intervalMs: 15_000 };
}

function probe(name: string, url: string, success: boolean, labels: Record<string, string> = {}): ProbeStatus {
  const config = { name, type: 'http', target: url, interval_ms: 15_000, timeout_ms: 5000, labels, http: { method: 'GET', valid_status_codes: [] } } as ProbeConfig;
  return { config, lastRun: NOW - 1000, last: { success, durationSeconds: 0.02, error: success ? '' : 'HTTP 503' } };
}

/**
 * A real series store filled with known samples every 15 s for the last hour:
 * - shop (service label, two jobs): 10 req/s of which 1 is a 500, all requests at 0.1 s..0.2 s,
 *   CPU 40, memory 55, event loop 0.25;
 * - billing (job only): 2 req/s, no errors, all requests at <= 0.05 s.
 */
function fill(): ReturnType<typeof createSeriesStore> {
  const store = createSeriesStore();
  for (let t = START, i = 0; t <= NOW; t += 15_000, i++) {
    const s = i * 15;
    for (const job of ['shop-api', 'shop-worker']) {
      const base = { job, service: 'shop', instance: `${job}:1` };
      store.append({ __name__: 'http_requests_total', ...base, method: 'GET', route: '/', status_code: '200' }, t, 4.5 * s);
      store.append({ __name__: 'http_requests_total', ...base, method: 'GET', route: '/', status_code: '500' }, t, 0.5 * s);
      for (const [le, v] of [['0.1', 0], ['0.2', 5], ['+Inf', 5]] as const) store.append({ __name__: 'http_request_duration_seconds_bucket', ...base, le }, t, v * s);
      store.append({ __name__: 'cpu_usage_percent', ...base }, t, job === 'shop-api' ? 40 : 30);
      store.append({ __name__: 'memory_usage_percent', ...base }, t, 55);
      store.append({ __name__: 'nodejs_eventloop_utilization_ratio', ...base }, t, 0.25);
    }
    const b = { job: 'billing', instance: 'billing:1' };
    store.append({ __name__: 'http_requests_total', ...b, method: 'GET', route: '/', status_code: '200' }, t, 2 * s);
    for (const [le, v] of [['0.05', 2], ['+Inf', 2]] as const) store.append({ __name__: 'http_request_duration_seconds_bucket', ...b, le }, t, v * s);
  }
  return store;
}

function sources(over: Partial<OverviewSources> = {}): OverviewSources {
  return {
    engine: createPromqlEngine(),
    queryable: fill(),
    now: () => NOW,
    targets: () => [
      target('shop-api', 'http://10.0.0.1:3000/metrics', { service: 'shop' }, 'up'),
      target('shop-worker', 'http://10.0.0.2:3000/metrics', { service: 'shop' }, 'down'),
      target('billing', 'http://10.0.0.3:4000/metrics', {}, 'up'),
    ],
    probes: () => [probe('shop-ready', 'http://10.0.0.1:3000/health/ready', true), probe('billing-live', 'http://10.0.0.3:4000/health/live', true), probe('docs', 'https://docs.example.com/', false, { service: 'docs' })],
    alerts: (): ApiAlert[] => [
      { labels: { alertname: 'HighErrors', service: 'shop', severity: 'critical' }, annotations: {}, state: 'firing', activeAt: new Date(NOW).toISOString(), value: '0.1' },
      { labels: { alertname: 'Slow', job: 'billing' }, annotations: {}, state: 'pending', activeAt: new Date(NOW).toISOString(), value: '1' },
    ],
    ...over,
  };
}

describe('computeOverview', () => {
  it('finds services by service label, else job, and assigns probes by label or origin', async () => {
    const o = await computeOverview(sources());
    expect(o.services.map((s) => s.name).sort()).toEqual(['billing', 'docs', 'shop']);
    const shop = o.services.find((s) => s.name === 'shop')!;
    expect(shop.targets).toEqual({ up: 1, total: 2 });
    expect(shop.probes.map((p) => p.name)).toEqual(['shop-ready']);
    expect(shop.health).toBe('degraded');
    expect(o.services.find((s) => s.name === 'billing')!.health).toBe('up');
    const docs = o.services.find((s) => s.name === 'docs')!;
    expect(docs.health).toBe('down');
    expect(docs.probes[0]!.error).toBe('HTTP 503');
    // Worst first.
    expect(o.services[0]!.name).toBe('docs');
  });

  it('computes golden signals from the stored samples', async () => {
    const o = await computeOverview(sources());
    const shop = o.services.find((s) => s.name === 'shop')!;
    // Two jobs of one service add up: 2 × (4.5 + 0.5) req/s.
    expect(shop.signals.request_rate).toBeCloseTo(10, 6);
    expect(shop.signals.error_ratio).toBeCloseTo(0.1, 6);
    // Every request is in the (0.1, 0.2] bucket: the quantiles interpolate inside it.
    expect(shop.signals.p50_seconds).toBeCloseTo(0.15, 6);
    expect(shop.signals.p99_seconds).toBeCloseTo(0.199, 6);
    expect(shop.signals.cpu_percent).toBe(40);
    expect(shop.signals.memory_percent).toBe(55);
    expect(shop.signals.event_loop_utilization).toBe(0.25);
    const billing = o.services.find((s) => s.name === 'billing')!;
    expect(billing.signals.request_rate).toBeCloseTo(2, 6);
    expect(billing.signals.error_ratio).toBe(0);
    expect(billing.signals.p95_seconds).toBeCloseTo(0.0475, 6);
    expect(billing.signals.cpu_percent).toBeNull();
    expect(billing.series.cpu_percent).toEqual([]);
  });

  it('returns aligned series over the window', async () => {
    const o = await computeOverview(sources(), { rangeMs: 3_600_000, maxPoints: 240 });
    const step = overviewStep(3_600_000, 240);
    expect(step).toBe(15_000);
    // The window's ends, and between them the multiples of the step (NOW is 5 s past one).
    expect(NOW % 15_000).toBe(5000);
    expect(o.range).toEqual({ start: (NOW - 3_600_000) / 1000, end: NOW / 1000, step: 15 });
    expect(o.times.length).toBe(242);
    expect(o.times[0]).toBe(o.range.start);
    expect(o.times.at(-1)).toBe(o.range.end);
    expect(o.times.slice(1, -1).every((t) => (t * 1000) % 15_000 === 0)).toBe(true);
    expect(o.times[1]! - o.times[0]!).toBe(10);
    expect(o.times.at(-1)! - o.times.at(-2)!).toBe(5);
    const shop = o.services.find((s) => s.name === 'shop')!;
    for (const name of ['request_rate', 'error_ratio', 'p50_seconds', 'cpu_percent'] as const) expect(shop.series[name].length).toBe(242);
    // The first minute has no full rate window; later points all show 10 req/s.
    expect(shop.series.request_rate.slice(10).every((v) => v !== null && Math.abs(v - 10) < 1e-6)).toBe(true);
    const wide = await computeOverview(sources(), { rangeMs: 86_400_000 });
    // Default: at most 120 points.
    expect(wide.range.step).toBe(720);
    expect(wide.times.length).toBe(NOW % 720_000 === 0 ? 121 : 122);
  });

  it('counts alerts per service and overall, and lists active incidents', async () => {
    const incidents = [
      { id: '1', title: 'Shop down', severity: 'critical', status: 'open', service: 'shop', opened_at: new Date(NOW).toISOString() },
      { id: '2', title: 'Slow billing', severity: 'warning', status: 'acknowledged', service: 'billing', opened_at: new Date(NOW).toISOString() },
    ];
    const o = await computeOverview(sources({ incidents: { active: () => incidents, subscribe: () => () => undefined } }));
    expect(o.alerts).toMatchObject({ firing: 1, pending: 1 });
    expect(o.alerts.list.map((a) => a.labels.alertname)).toEqual(['HighErrors', 'Slow']);
    expect(o.services.find((s) => s.name === 'shop')!.alerts).toEqual({ firing: 1, pending: 0 });
    expect(o.services.find((s) => s.name === 'billing')!.alerts).toEqual({ firing: 0, pending: 1 });
    expect(o.incidents).toEqual({ open: 1, acknowledged: 1, list: incidents });
    expect((await computeOverview(sources())).incidents).toBeNull();
  });

  it('adds /health/detailed dependencies of the service at its probe or target origin', async () => {
    const asked: string[] = [];
    const o = await computeOverview(
      sources({
        healthDetailed: async (base) => {
          asked.push(base);
          return base === 'http://10.0.0.3:4000' ? { status: 'unhealthy', checks: [{ name: 'postgres', status: 'unhealthy', error: 'timeout' }] } : undefined;
        },
      }),
    );
    expect(asked.sort()).toEqual(['http://10.0.0.1:3000', 'http://10.0.0.3:4000', 'https://docs.example.com']);
    const billing = o.services.find((s) => s.name === 'billing')!;
    expect(billing.dependencies).toEqual({ status: 'unhealthy', checks: [{ name: 'postgres', status: 'unhealthy', error: 'timeout' }] });
    expect(billing.health).toBe('degraded');
    expect(o.services.find((s) => s.name === 'shop')!.dependencies).toBeUndefined();
  });

  it('keeps answering when a source fails', async () => {
    const o = await computeOverview(
      sources({
        incidents: { active: () => Promise.reject(new Error('db down')), subscribe: () => () => undefined },
        healthDetailed: () => Promise.reject(new Error('boom')),
      }),
    );
    expect(o.incidents).toEqual({ open: 0, acknowledged: 0, list: [] });
    expect(o.services.length).toBe(3);
  });

  it('agrees with the engine\'s histogram_quantile on the same buckets', async () => {
    const src = sources();
    const o = await computeOverview(src);
    for (const svc of ['shop', 'billing']) {
      const sel = svc === 'shop' ? 'service="shop"' : 'job="billing"';
      for (const [name, q] of [['p50_seconds', 0.5], ['p95_seconds', 0.95], ['p99_seconds', 0.99]] as const) {
        const v = src.engine.instantQuery(src.queryable, `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[60s])))`, NOW);
        expect(v.type).toBe('vector');
        const want = v.type === 'vector' ? v.samples[0]!.value : NaN;
        expect(o.services.find((s) => s.name === svc)!.signals[name]).toBeCloseTo(want, 3);
      }
    }
  });
});

describe('quantile', () => {
  const les = [0.1, 0.5, 1, Infinity];
  it('interpolates inside the bucket the rank falls in', () => {
    expect(quantile(0.5, les, [10, 20, 20, 20])).toBeCloseTo(0.1, 9);
    expect(quantile(0.75, les, [10, 20, 20, 20])).toBeCloseTo(0.3, 9);
    expect(quantile(0.25, les, [10, 20, 20, 20])).toBeCloseTo(0.05, 9);
  });
  it('answers the highest finite bound for a rank in +Inf, null without observations or +Inf', () => {
    expect(quantile(0.99, les, [0, 0, 0, 10])).toBe(1);
    expect(quantile(0.5, les, [0, 0, 0, 0])).toBeNull();
    expect(quantile(0.5, [0.1, 0.5], [1, 2])).toBeNull();
  });
  it('makes counts monotonic first', () => {
    expect(quantile(0.5, les, [10, 5, 20, 20])).toBeCloseTo(quantile(0.5, les, [10, 10, 20, 20])!, 9);
  });
});
