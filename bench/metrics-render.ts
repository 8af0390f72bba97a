/**
 * Bench: `/metrics` render time for 10,000 series.
 *
 * Two registries of about 10,000 series each — (a) one counter with 10,000 label sets, (b) Vigil's HTTP RED
 * metrics with 550 label sets (counter + 17-line histogram each ≈ 10,000 series) — rendered by Vigil's
 * `renderExposition()` in both formats, against the anchor: prom-client's own `registry.metrics()` text output
 * on the same registry in the same run.
 * Run: npx tsx bench/metrics-render.ts  (about 20 seconds)
 */
import { Counter } from 'prom-client';
import { createHttpMetrics, createMetricsRegistry, renderExposition } from '@vigil/node';

const ITERATIONS = Number(process.env.ITERATIONS ?? 40);

function counterRegistry() {
  const registry = createMetricsRegistry();
  const c = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route', 'status_code'], registers: [registry] });
  for (let i = 0; i < 10_000; i++) c.inc({ route: `/route/${i % 2000}`, status_code: String(200 + Math.floor(i / 2000)) });
  return registry;
}

function httpRegistry() {
  const registry = createMetricsRegistry();
  const m = createHttpMetrics({ registry, maxSeries: 10_000 });
  for (let i = 0; i < 550; i++) m.end({ method: 'GET', route: `/api/v1/resource-${i}/:id`, statusCode: 200, durationSeconds: (i % 100) / 100 });
  return registry;
}

async function time(fn: () => Promise<string>): Promise<{ ms: number; lines: number }> {
  let lines = 0;
  for (let i = 0; i < 5; i++) lines = (await fn()).split('\n').length; // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, lines };
}

async function main(): Promise<void> {
  console.log(`\n/metrics render time, median of ${ITERATIONS} renders\n`);
  console.log('| registry | renderer | sample lines | median ms | ratio to prom-client text |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, registry] of [['10,000 counter series', counterRegistry()], ['HTTP RED, 550 label sets', httpRegistry()]] as const) {
    const anchor = await time(() => registry.metrics());
    const text = await time(() => renderExposition(registry, 'text'));
    const om = await time(() => renderExposition(registry, 'openmetrics'));
    console.log(`| ${name} | prom-client \`registry.metrics()\` (anchor) | ${anchor.lines} | ${anchor.ms.toFixed(1)} | 100 % |`);
    console.log(`| ${name} | Vigil text 0.0.4 | ${text.lines} | ${text.ms.toFixed(1)} | ${((text.ms / anchor.ms) * 100).toFixed(0)} % |`);
    console.log(`| ${name} | Vigil OpenMetrics 1.0 | ${om.lines} | ${om.ms.toFixed(1)} | ${((om.ms / anchor.ms) * 100).toFixed(0)} % |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
