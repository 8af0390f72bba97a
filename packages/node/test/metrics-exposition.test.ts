import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCacheMetrics,
  createHealthMetrics,
  createHealthRegistry,
  createHttpMetrics,
  createMeasure,
  createMetricsHandler,
  createMetricsRegistry,
  createPgPoolMetrics,
  createProcessMetrics,
  createSecurityMonitor,
  defineCounter,
  defineGauge,
  instrumentNodeHandler,
  openTelemetryTraceContext,
  renderExposition,
} from '@vigil/node';

/** A real OpenTelemetry context manager on AsyncLocalStorage (what @opentelemetry/context-async-hooks provides). */
class AlsContextManager implements ContextManager {
  private als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.als.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

let server: http.Server;
let base: string;
const registry = createMetricsRegistry({ defaultLabels: { service: 'exposition-test' } });

beforeAll(async () => {
  context.setGlobalContextManager(new AlsContextManager());
  const traceContext = openTelemetryTraceContext();
  expect(traceContext).toBeDefined();
  createProcessMetrics({ registry, disks: ['/', '/tmp'] });
  const metrics = createHttpMetrics({ registry, traceContext, sizeHistograms: true });
  const health = createHealthRegistry({ logger: false, checks: [{ name: 'db', check: () => ({ status: 'degraded' }) }, { name: 'cache', critical: false, check: () => undefined }] });
  createHealthMetrics({ registry, health });
  await health.run();
  const cache = createCacheMetrics({ registry });
  cache.hit();
  cache.hit();
  cache.miss();
  cache.record('set', 'success');
  await createMeasure({ registry })('ai_assessment', async () => 'done')();
  createPgPoolMetrics({ registry, pool: { totalCount: 10, idleCount: 7, waitingCount: 1 } });
  defineCounter({ registry, name: 'payments', help: 'Payments by status.', labelNames: ['status'] }).inc({ status: 'ok' });
  defineGauge({ registry, name: 'processing_queue_size', help: 'Jobs waiting "in" the queue\\n.', labelNames: ['queue'] }).set({ queue: 'q"1\n' }, 3);
  const security = createSecurityMonitor({ registry });
  await security.recordLoginAttempt({ ip: '10.0.0.1', username: 'ann', success: false });
  await security.recordLoginAttempt({ ip: '10.0.0.1', username: 'ann', success: true });
  const handler = createMetricsHandler({ registry });
  const app = instrumentNodeHandler(
    (req, res) => {
      if (req.url === '/metrics') return handler.handle(req, res);
      res.setHeader('content-length', '2');
      res.end('ok');
    },
    { metrics, routes: ['/work/:id', '/metrics'] },
  );
  server = http.createServer((req, res) => {
    // An active span around the request, as an OpenTelemetry HTTP instrumentation would create.
    if (req.url?.startsWith('/work/')) {
      const span = trace.wrapSpanContext({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
      context.with(trace.setSpan(context.active(), span), () => app(req, res));
    } else {
      app(req, res);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await fetch(`${base}/work/1`);
  await fetch(`${base}/unknown`);
});

afterAll(async () => {
  context.disable();
  await new Promise((r) => server?.close(r));
});

function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
    child.stdin!.end(text);
  });
}

describe('/metrics exposition', () => {
  it('the real text output passes promtool check metrics with no problems', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('cpu_usage_percent{service="exposition-test"}');
    expect(text).toMatch(/disk_usage_percent\{mount="\/",service="exposition-test"\} \d/);
    expect(text).toContain('health_check_status{check="db",critical="true",service="exposition-test"} 0.5');
    expect(text).toContain('db_connection_pool_size{state="active",service="exposition-test"} 3');
    expect(text).toContain('cache_hit_ratio{service="exposition-test"} 0.6666666666666666');
    expect(text).toContain('authentication_attempts_total{status="failed",service="exposition-test"} 1');
    expect(text).toContain('operation_duration_seconds_count{operation="ai_assessment",status="success",service="exposition-test"} 1');
    expect(text).toContain('nodejs_eventloop_utilization_ratio');
    expect(text).not.toContain(' # {'); // no exemplars in the 0.0.4 format
    const result = await promtoolCheck(text);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('promtool flags a broken exposition (the check can fail)', async () => {
    const result = await promtoolCheck('# TYPE bad_metric counter\nbad_metric 1\n');
    expect(result.output).toMatch(/_total/);
  });

  it('OpenMetrics output carries the trace id as an exemplar and ends with # EOF', async () => {
    const om = await renderExposition(registry, 'openmetrics');
    expect(om.endsWith('\n# EOF\n')).toBe(true);
    expect(om.match(/# EOF/g)).toHaveLength(1);
    const exemplarLine = om.split('\n').find((l) => l.startsWith('http_request_duration_seconds_bucket') && l.includes('route="/work/:id"') && l.includes(' # {'));
    expect(exemplarLine).toMatch(new RegExp(`# \\{trace_id="${TRACE_ID}",span_id="${SPAN_ID}"\\} [0-9.e-]+ \\d+(\\.\\d+)?$`));
    // The unmatched request ran outside any span: no exemplar.
    expect(om.split('\n').some((l) => l.includes('route="<unmatched>"') && l.includes(' # {'))).toBe(false);
    // Counter families are named without _total, samples with it.
    expect(om).toContain('# TYPE payments counter');
    expect(om).toContain('payments_total{status="ok",service="exposition-test"} 1');
    expect(om).toContain('processing_queue_size{queue="q\\"1\\n",service="exposition-test"} 3');
  });
});

describe('Prometheus scrapes the OpenMetrics endpoint', () => {
  let prom: ChildProcess | undefined;
  let dir: string | undefined;
  afterAll(() => {
    prom?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus 2.42 ingests the OpenMetrics output and its exemplars', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-prom-'));
    const target = base.replace('http://', '');
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target}']\n`);
    const port = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--enable-feature=exemplar-storage'], { stdio: 'ignore' });
    const api = `http://127.0.0.1:${port}/api/v1`;
    let health: { health?: string; lastError?: string; scrapeUrl?: string } | undefined;
    let exemplars: { data?: { exemplars?: { labels: Record<string, string> }[] }[] } | undefined;
    for (let i = 0; i < 150 && !(health?.health === 'up' && exemplars?.data?.length); i++) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        const targets = (await (await fetch(`${api}/targets`)).json()) as { data: { activeTargets: typeof health[] } };
        health = targets.data.activeTargets[0];
        if (health?.health === 'up') {
          const q = encodeURIComponent('http_request_duration_seconds_bucket');
          const now = Date.now() / 1000;
          exemplars = (await (await fetch(`${api}/query_exemplars?query=${q}&start=${now - 60}&end=${now + 60}`)).json()) as typeof exemplars;
        }
      } catch {
        // Prometheus is still starting.
      }
    }
    expect(health?.lastError ?? '').toBe('');
    expect(health?.health).toBe('up');
    expect(exemplars?.data?.[0]?.exemplars?.[0]?.labels.trace_id).toBe(TRACE_ID);
  }, 45_000);
});
