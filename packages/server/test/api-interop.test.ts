import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import { until as waitUntil } from '@vigil/test-support';

const run = promisify(execFile);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(what, fn, { retryOnError: true });

async function promtool(...args: string[]): Promise<string> {
  const { stdout } = await run('promtool', args, { timeout: 20_000 });
  return stdout;
}

/** promtool's instant-query lines without the evaluation timestamps, sorted. */
function normalise(out: string): string[] {
  return out.trim().split('\n').map((l) => l.replace(/ @\[[0-9.]+\]$/, '')).sort();
}

let app: Server;
let monitor: Monitor;
let prometheus: ChildProcess;
let promUrl: string;

beforeAll(async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'app_requests_total', help: 'requests', labelNames: ['code', 'route'], registers: [registry] });
  c.inc({ code: '200', route: '/a' }, 10);
  c.inc({ code: '500', route: '/a' }, 2);
  c.inc({ code: '200', route: '/b' }, 7.5);
  new Gauge({ name: 'app_temperature', help: 't', registers: [registry] }).set(-3.25);
  app = createServer((_req, res) => void registry.metrics().then((b) => res.writeHead(200, { 'content-type': registry.contentType }).end(b)));
  const appPort = await listen(app);
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-interop-'));
  writeFileSync(
    path.join(dir, 'vigil.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:${appPort}']\n`,
  );
  monitor = await createMonitor({ config: path.join(dir, 'vigil.yml'), port: 0 });
  const vigilHostPort = new URL(monitor.url).host;
  const promPort = await freePort();
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: federate\n    honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': ['{job="app"}']\n    static_configs:\n      - targets: ['${vigilHostPort}']\n  - job_name: vigil-self\n    static_configs:\n      - targets: ['${vigilHostPort}']\n`,
  );
  prometheus = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  promUrl = `http://127.0.0.1:${promPort}`;
  await until('prometheus to have federated series', async () => {
    const r = (await (await fetch(`${promUrl}/api/v1/query?query=count(app_requests_total)`)).json()) as { data: { result: { value: [number, string] }[] } };
    return r.data.result[0]?.value[1] === '3' ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await new Promise((r) => (prometheus && prometheus.exitCode === null ? prometheus.once('exit', r) : r(null)));
  await monitor?.stop();
  await new Promise((r) => app?.close(r));
});

describe('interop with the real Prometheus tools', () => {
  for (const expr of ['app_requests_total', 'sum by (code) (app_requests_total)', 'app_temperature * 2', 'count(app_requests_total) > 1', 'topk(1, app_requests_total)']) {
    it(`promtool query instant agrees with Prometheus for ${expr}`, async () => {
      const fromVigil = normalise(await promtool('query', 'instant', monitor.url, expr));
      const fromProm = normalise(await promtool('query', 'instant', promUrl, expr));
      expect(fromVigil.length).toBeGreaterThan(0);
      expect(fromVigil).toEqual(fromProm);
    });
  }

  it('promtool query range works against Vigil', async () => {
    const end = Date.now() / 1000;
    const out = await promtool('query', 'range', '--start', String(end - 3), '--end', String(end), '--step', '1s', monitor.url, 'sum(app_requests_total)');
    expect(out).toMatch(/^\{\} =>\n/);
    expect(out).toMatch(/^19\.5 @\[/m);
  });

  it('promtool query series and labels work against Vigil', async () => {
    const labels = await promtool('query', 'labels', monitor.url, 'code');
    expect(labels.trim().split('\n')).toEqual(['200', '500']);
    const series = await promtool('query', 'series', '--match', 'app_temperature', monitor.url);
    expect(series).toContain('__name__="app_temperature"');
  });

  it('real Prometheus scrapes Vigil’s own /metrics', async () => {
    const r = await until('vigil self metrics in Prometheus', async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/query?query=vigil_tsdb_head_series{job="vigil-self"}`)).json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result[0];
    });
    expect(Number(r.value[1])).toBeGreaterThan(0);
  });

  it('answers bad queries with Prometheus error bodies', async () => {
    const res = await fetch(`${monitor.url}/api/v1/query?query=sum(`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { status: string; errorType: string; error: string };
    expect(body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(body.error).toMatch(/^invalid parameter "query": 1:5: parse error/);
    const range = await fetch(`${monitor.url}/api/v1/query_range`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=up&start=10&end=5&step=1' });
    expect(range.status).toBe(400);
    expect(((await range.json()) as { errorType: string }).errorType).toBe('bad_data');
  });
});
