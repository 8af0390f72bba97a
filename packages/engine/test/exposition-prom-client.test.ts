import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, Summary, type RegistryContentType } from 'prom-client';
import { createSeriesStore, parseExposition, type ParsedSample } from '@vigil/engine';

/** Builds a registry with every metric type and awkward label values, and records what it holds. */
async function setup() {
  const registry = new Registry<RegistryContentType>();
  registry.setDefaultLabels({ service: 'checkout' });
  const c = new Counter({ name: 'orders_total', help: 'Orders "placed".\nSecond line \\ here', labelNames: ['status', 'path'], registers: [registry] });
  c.inc({ status: 'ok', path: '/a"b\\c\nd' }, 3);
  c.inc({ status: 'failed', path: '/ü/東京' }, 0.5);
  const g = new Gauge({ name: 'queue_depth', help: 'Depth', registers: [registry] });
  g.set(-12.25);
  const h = new Histogram({ name: 'latency_seconds', help: 'Latency', buckets: [0.1, 0.5, 1], labelNames: ['route'], registers: [registry] });
  for (const v of [0.05, 0.2, 0.7, 3]) h.observe({ route: '/x' }, v);
  const s = new Summary({ name: 'size_bytes', help: 'Size', percentiles: [0.5, 0.9], registers: [registry] });
  for (let i = 1; i <= 10; i++) s.observe(i);
  const json = await registry.getMetricsAsJSON();
  return { registry, json };
}

function key(name: string, labels: Record<string, string | number>): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join(',');
  return `${name}{${l}}`;
}

function expected(json: Awaited<ReturnType<Registry['getMetricsAsJSON']>>, om: boolean): Map<string, number> {
  const want = new Map<string, number>();
  for (const m of json) {
    for (const v of m.values) {
      let name = (v as { metricName?: string }).metricName ?? m.name;
      if (om && String(m.type) === 'counter' && !name.endsWith('_total')) name += '_total';
      want.set(key(name, v.labels as Record<string, string | number>), v.value);
    }
  }
  return want;
}

function got(samples: ParsedSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const { __name__, ...rest } = s.labels;
    out.set(key(__name__!, rest), s.value);
  }
  return out;
}

describe('cross-check against prom-client output', () => {
  it('text 0.0.4: every value prom-client holds is parsed back exactly, with HELP and TYPE', async () => {
    const { registry, json } = await setup();
    const body = await registry.metrics();
    const parsed = parseExposition(body);
    expect(got(parsed.samples)).toEqual(expected(json, false));
    const help = parsed.metadata.find((m) => m.family === 'orders_total');
    expect(help).toEqual({ family: 'orders_total', type: 'counter', help: 'Orders "placed".\nSecond line \\ here' });
    expect(parsed.samples.find((s) => s.name === 'latency_seconds_bucket')).toMatchObject({ family: 'latency_seconds', type: 'histogram' });
  });

  it('OpenMetrics: same values, counters as _total, ends with # EOF; and they land in the store', async () => {
    const { registry, json } = await setup();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const body = await registry.metrics();
    const parsed = parseExposition(body, { format: 'openmetrics' });
    expect(got(parsed.samples)).toEqual(expected(json, true));
    const store = createSeriesStore();
    for (const s of parsed.samples) store.append(s.labels, 1_000, s.value);
    expect(store.stats().series).toBe(parsed.samples.length);
    const [depth] = store.select([{ type: '=', name: '__name__', value: 'queue_depth' }], 0, 2_000);
    expect(Array.from(depth!.values)).toEqual([-12.25]);
  });
});
