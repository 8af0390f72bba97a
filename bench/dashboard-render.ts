/**
 * Dashboard render time: a monitor whose store holds 50 services × 24 h of 15 s samples (the
 * metric names @vigil/node exports), and Debian's Chromium loading the overview in a fresh
 * context per run. Measures navigation start → `vigil:overview-rendered` (the mark the app sets
 * once the cards and the on-screen charts are drawn; off-screen charts draw when scrolled to) for the
 * default 1 h window and the 24 h window, then the time to scroll through and draw the rest; prints medians
 * and the ratio to the 1 s target (the anchor), the overview API time (and the server's part of it,
 * from its Server-Timing header), and the built asset sizes. Each load computes its overview afresh.
 *
 *   node --import tsx bench/dashboard-render.ts        (BENCH_SERVICES, BENCH_HOURS, BENCH_RUNS)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { buildDashboard } from '../packages/dashboard/src/index.js';
import { createMonitor } from '../packages/server/src/index.js';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 50);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STEP = 15_000;
const TARGET_MS = 1000;

const { assets } = await buildDashboard();

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-ui-'));
writeFileSync(path.join(dir, 'vigil.yml'), 'global:\n  scrape_interval: 15s\nserver:\n  auth:\n    enabled: false\n');
const monitor = await createMonitor({ config: path.join(dir, 'vigil.yml'), port: 0, listenAddress: '127.0.0.1' });

// Synthetic but realistic: per service one instance, 2 routes × 2 status codes, a 6-bucket
// latency histogram per route, CPU, memory, event-loop utilization (19 series per service).
const now = Date.now();
const start = now - HOURS * 3_600_000;
const LE = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
const ROUTES = ['/api/users', '/api/orders'];
let samples = 0;
const t0 = performance.now();
for (let t = start, i = 0; t <= now; t += STEP, i++) {
  for (let s = 0; s < SERVICES; s++) {
    const service = `svc-${String(s).padStart(2, '0')}`;
    for (let k = 0; k < 1; k++) {
      const base = { job: service, service, instance: `10.0.${s}.${k}:3000` };
      const load = 5 + (s % 7) + Math.sin(i / 40 + s) * 2;
      for (const [r, route] of ROUTES.entries()) {
        const ok = i * 15 * load * (r + 1);
        monitor.store.append({ __name__: 'http_requests_total', ...base, method: 'GET', route, status_code: '200' }, t, ok);
        monitor.store.append({ __name__: 'http_requests_total', ...base, method: 'GET', route, status_code: '500' }, t, Math.floor(ok * 0.01));
        for (const [b, le] of LE.entries()) monitor.store.append({ __name__: 'http_request_duration_seconds_bucket', ...base, method: 'GET', route, le }, t, Math.floor((ok * (b + 1)) / LE.length));
        samples += 2 + LE.length;
      }
      monitor.store.append({ __name__: 'cpu_usage_percent', ...base }, t, 20 + ((i + s) % 50));
      monitor.store.append({ __name__: 'memory_usage_percent', ...base }, t, 40 + (s % 30));
      monitor.store.append({ __name__: 'nodejs_eventloop_utilization_ratio', ...base }, t, 0.1 + ((i % 20) / 100));
      samples += 3;
    }
  }
}
console.log(`data: ${SERVICES} services, ${samples.toLocaleString('en')} samples (${HOURS} h at 15 s) appended in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

// The server shares one overview computation per window for 5 s (several dashboards opened at
// once); every measured load waits that out, so each one computes its overview afresh.
const CACHE_MS = 5000;

async function once(range: string): Promise<{ rendered: number; api: number; server: number; charts: number; allCharts: number; scrollMs: number }> {
  await new Promise((r) => setTimeout(r, CACHE_MS + 200));
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(`sessionStorage.setItem('vigil.range', ${JSON.stringify(range)})`);
  const page = await context.newPage();
  await page.goto(`${monitor.url}/ui/`);
  await page.waitForFunction(() => performance.getEntriesByName('vigil:overview-rendered').length > 0, undefined, { timeout: 60_000 });
  const r = await page.evaluate(() => {
    const mark = performance.getEntriesByName('vigil:overview-rendered')[0]!;
    const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/vigil/overview')) as PerformanceResourceTiming | undefined;
    const server = api?.serverTiming.find((x) => x.name === 'overview')?.duration ?? NaN;
    const marks = performance.getEntriesByType('mark').map((m) => `${m.name.replace('vigil:', '')}@${m.startTime.toFixed(0)}`).join(' ');
    const trace = marks + ' || ' + performance.getEntriesByType('resource').map((e) => `${new URL(e.name).pathname.slice(0, 24)} ${e.startTime.toFixed(0)}-${(e as PerformanceResourceTiming).responseEnd.toFixed(0)}`).join(' | ');
    return { rendered: mark.startTime, api: api ? api.responseEnd - api.requestStart : NaN, server, firstScreen: document.querySelectorAll('.uplot').length, trace };
  });
  // Then scroll through the page: off-screen charts are drawn as they come into view.
  // (a string: tsx would wrap named functions in a helper the page does not have)
  const all: { ms: number; charts: number } = await page.evaluate(`(async () => {
    const t = performance.now();
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    }
    // The page grows as cards get their real height: finish at the very bottom.
    for (let i = 0; i < 5; i++) {
      scrollTo(0, document.documentElement.scrollHeight);
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
    }
    return { ms: performance.now() - t, charts: document.querySelectorAll('.uplot').length };
  })()`);
  await context.close();
  if (process.env.BENCH_TRACE) console.log(range, r.rendered.toFixed(0), `server ${r.server.toFixed(0)}`, r.trace);
  return { rendered: r.rendered, api: r.api, server: r.server, charts: r.firstScreen, allCharts: all.charts, scrollMs: all.ms };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, { rendered: number[]; api: number[]; server: number[]; scroll: number[]; charts: number; allCharts: number }> = { '1h': { rendered: [], api: [], server: [], scroll: [], charts: 0, allCharts: 0 }, '24h': { rendered: [], api: [], server: [], scroll: [], charts: 0, allCharts: 0 } };
await once('1h'); // warm-up (JIT, first query compilation)
for (let run = 0; run < RUNS; run++) {
  // Alternate the windows so machine noise hits both alike.
  for (const range of run % 2 ? ['24h', '1h'] : ['1h', '24h']) {
    const r = await once(range);
    results[range]!.rendered.push(r.rendered);
    results[range]!.api.push(r.api);
    results[range]!.server.push(r.server);
    results[range]!.scroll.push(r.scrollMs);
    results[range]!.charts = r.charts;
    results[range]!.allCharts = r.allCharts;
  }
}
await browser.close();
await monitor.stop();

console.log(`\noverview render, navigation start → all charts drawn (median of ${RUNS} cold page loads):`);
for (const [range, r] of Object.entries(results)) {
  const m = median(r.rendered);
  console.log(`  window ${range.padEnd(4)} ${m.toFixed(0).padStart(5)} ms  (${(m / TARGET_MS).toFixed(2)}× the 1 s target; API ${median(r.api).toFixed(0)} ms, of it computing ${median(r.server).toFixed(0)} ms; ${r.charts} charts on the first screen; runs ${r.rendered.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`             scrolling through all ${SERVICES} services draws the other charts (${r.allCharts} in all) in ${median(r.scroll).toFixed(0)} ms`);
}
console.log('\nbuilt assets:');
for (const a of assets) console.log(`  ${a.file.padEnd(28)} ${(a.bytes / 1024).toFixed(1).padStart(7)} KiB  ${(a.gzipBytes / 1024).toFixed(1).padStart(6)} KiB gzip`);
const total = assets.reduce((s, a) => s + a.bytes, 0);
const gz = assets.reduce((s, a) => s + a.gzipBytes, 0);
console.log(`  ${'total'.padEnd(28)} ${(total / 1024).toFixed(1).padStart(7)} KiB  ${(gz / 1024).toFixed(1).padStart(6)} KiB gzip`);
process.exit(0);
