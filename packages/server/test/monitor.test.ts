import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Counter, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import { until as waitUntil } from '@vigil/test-support';

// API answers are checked field by field; a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(what, fn, { timeoutMs: 15_000, intervalMs: 50 });

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A real instrumented app: prom-client registry on /metrics, a gauge the test flips. */
async function startApp(): Promise<{ port: number; flag: Gauge; requests: Counter; close(): Promise<void> }> {
  const registry = new Registry();
  const flag = new Gauge({ name: 'app_flag', help: 'test flag', registers: [registry] });
  const requests = new Counter({ name: 'app_requests_total', help: 'requests', labelNames: ['code'], registers: [registry] });
  requests.inc({ code: '200' }, 5);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void registry.metrics().then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body));
  });
  const port = await listen(server);
  return { port, flag, requests, close: () => new Promise((r) => server.close(() => r())) };
}

function writeConfig(dir: string, appPort: number, webhookPort: number, extra = ''): string {
  writeFileSync(
    path.join(dir, 'rules.yml'),
    `groups:
  - name: test
    interval: 200ms
    rules:
      - record: app:requests:sum
        expr: sum(app_requests_total)
      - alert: FlagRaised
        expr: app_flag > 0 and on() app:requests:sum > 0
        for: 1s
        labels:
          severity: page
        annotations:
          summary: "flag is {{ $value }}"
`,
  );
  const file = path.join(dir, 'vigil.yml');
  writeFileSync(
    file,
    `global:
  scrape_interval: 200ms
  scrape_timeout: 150ms
  evaluation_interval: 200ms
  external_labels:
    site: test
scrape_configs:
  - job_name: app
    static_configs:
      - targets: ['127.0.0.1:${appPort}']
        labels:
          team: core
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: go_.*
        action: drop
rule_files:
  - ${dir}/rules*.yml
alerting:
  config:
    route:
      receiver: hook
      group_wait: 0s
      group_interval: 200ms
      repeat_interval: 1h
    receivers:
      - name: hook
        webhook_configs:
          - url: http://127.0.0.1:${webhookPort}/hook
            send_resolved: true
${extra}`,
  );
  return file;
}

async function startWebhook(): Promise<{ port: number; received: { status: string; alerts: { labels: Record<string, string> }[] }[]; close(): Promise<void> }> {
  const received: { status: string; alerts: { labels: Record<string, string> }[] }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  const port = await listen(server);
  return { port, received, close: () => new Promise((r) => server.close(() => r())) };
}

async function api(m: Monitor, p: string): Promise<{ status: string; data: Json; error?: string; errorType?: string }> {
  const res = await fetch(`${m.url}${p}`);
  return (await res.json()) as never;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('createMonitor end to end', () => {
  it('scrapes a real app, records, and takes an alert pending → firing → resolved to a webhook', async () => {
    const app = await startApp();
    cleanups.push(app.close);
    const hook = await startWebhook();
    cleanups.push(hook.close);
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mon-'));
    const monitor = await createMonitor({ config: writeConfig(dir, app.port, hook.port), port: 0, dataDir: dir });
    cleanups.push(() => monitor.stop());

    // The first scrapes may time out (150 ms) on a loaded machine: wait for a successful one.
    const up = await until('up', async () => {
      const r = await api(monitor, '/api/v1/query?query=up');
      return r.data.result[0]?.value[1] === '1' ? r : undefined;
    });
    expect(up.data.result[0].metric).toEqual({ __name__: 'up', instance: `127.0.0.1:${app.port}`, job: 'app', team: 'core' });
    expect(up.data.result[0].value[1]).toBe('1');

    const reqs = await api(monitor, '/api/v1/query?query=app_requests_total');
    expect(reqs.data.result[0].metric).toMatchObject({ code: '200', job: 'app', instance: `127.0.0.1:${app.port}` });
    expect(reqs.data.result[0].value[1]).toBe('5');
    // metric_relabel_configs dropped go_* but kept the rest (max over the window: a scrape timing out on a loaded machine reports 0).
    expect((await api(monitor, '/api/v1/series?match[]={__name__=~"go_.*"}')).data).toEqual([]);
    expect((await api(monitor, '/api/v1/query?query=max_over_time(scrape_samples_post_metric_relabeling[1m])')).data.result[0].value[1]).not.toBe('0');
    await until('recording rule', async () => (await api(monitor, '/api/v1/query?query=app:requests:sum')).data.result[0]?.value[1] === '5' || undefined);

    app.flag.set(3);
    const pending = await until('pending', async () => (await api(monitor, '/api/v1/alerts')).data.alerts.find((a: { state: string }) => a.state === 'pending'));
    expect(pending.labels).toMatchObject({ alertname: 'FlagRaised', severity: 'page' });
    expect(pending.annotations.summary).toBe('flag is 3');
    const firing = await until('firing', async () => (await api(monitor, '/api/v1/alerts')).data.alerts.find((a: { state: string }) => a.state === 'firing'));
    expect(Date.parse(firing.activeAt)).toBe(Date.parse(pending.activeAt));
    // The rule's state flips before the evaluation's ALERTS samples are appended: wait for the series.
    const alertsSeries = await until('ALERTS series', async () => {
      const r = await api(monitor, '/api/v1/query?query=ALERTS{alertstate="firing"}');
      return r.data.result.length ? r : undefined;
    });
    expect(alertsSeries.data.result[0].metric).toMatchObject({ alertname: 'FlagRaised', alertstate: 'firing' });
    const fired = await until('webhook firing', () => hook.received.find((n) => n.status === 'firing'));
    expect(fired.alerts[0]!.labels).toMatchObject({ alertname: 'FlagRaised', site: 'test' });

    const rules = await api(monitor, '/api/v1/rules');
    const ruleList = rules.data.groups[0].rules;
    expect(ruleList.map((r: { type: string; health: string }) => [r.type, r.health])).toEqual([['recording', 'ok'], ['alerting', 'ok']]);
    expect(ruleList[1].state).toBe('firing');

    app.flag.set(0);
    await until('webhook resolved', () => hook.received.find((n) => n.status === 'resolved'));
    expect((await api(monitor, '/api/v1/alerts')).data.alerts).toEqual([]);
    // ALERTS went stale once the alert resolved.
    expect((await api(monitor, '/api/v1/query?query=ALERTS')).data.result).toEqual([]);
  }, 30_000);

  it('restores series and pending `for` state after a restart from its data dir', async () => {
    const app = await startApp();
    cleanups.push(app.close);
    const hook = await startWebhook();
    cleanups.push(hook.close);
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mon-'));
    const file = writeConfig(dir, app.port, hook.port);
    writeFileSync(path.join(dir, 'rules.yml'), readFileSync(path.join(dir, 'rules.yml'), 'utf8').replace('for: 1s', 'for: 1h'));
    app.flag.set(1);
    const first = await createMonitor({ config: file, port: 0, dataDir: dir });
    const pending = await until('pending', async () => (await api(first, '/api/v1/alerts')).data.alerts[0]);
    // Let it stay pending for a while, so a restore is distinguishable from a fresh start.
    await new Promise((r) => setTimeout(r, 2000));
    const scrapes = Number((await api(first, '/api/v1/query?query=count_over_time(up[1h])')).data.result[0].value[1]);
    await first.stop();
    const restartedAt = Date.now();
    const second = await createMonitor({ config: file, port: 0, dataDir: dir });
    cleanups.push(() => second.stop());
    const after = await until('pending after restart', async () => (await api(second, '/api/v1/alerts')).data.alerts[0]);
    expect(after.state).toBe('pending');
    // Restored from ALERTS_FOR_STATE as Prometheus does: the time already spent pending counts
    // (activeAt moves by the outage only), instead of starting the `for` clock again.
    expect(Date.parse(after.activeAt)).toBeLessThanOrEqual(restartedAt - 1500);
    expect(Date.parse(after.activeAt)).toBeGreaterThanOrEqual(Date.parse(pending.activeAt));
    // The series store came back from its snapshot/WAL under the data dir.
    const again = Number((await api(second, '/api/v1/query?query=count_over_time(up[1h])')).data.result[0].value[1]);
    expect(again).toBeGreaterThanOrEqual(scrapes);
  }, 30_000);

  it('scrapes an embedding app registry in-process', async () => {
    const registry = new Registry();
    new Gauge({ name: 'embedded_value', help: 'x', registers: [registry] }).set(42);
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mon-'));
    const file = path.join(dir, 'vigil.yml');
    writeFileSync(
      file,
      "global:\n  scrape_interval: 100ms\n  scrape_timeout: 100ms\nscrape_configs:\n  - job_name: locked\n    basic_auth:\n      username: u\n      password: ${SECRET_PW:-hunter2}\n    static_configs:\n      - targets: ['127.0.0.1:9']\n",
    );
    const monitor = await createMonitor({ config: file, listen: false, registries: [{ job: 'self', registry }] });
    cleanups.push(() => monitor.stop());
    await monitor.scrape.scrapeAll();
    const res = await monitor.app.inject({ url: '/api/v1/query?query=embedded_value' });
    expect(res.json().data.result[0]).toMatchObject({ metric: { __name__: 'embedded_value', job: 'self', instance: 'in-process' }, value: [expect.any(Number), '42'] });
    // The served config never shows secrets, and neither does a failing target's error.
    const cfg = (await monitor.app.inject({ url: '/api/v1/status/config' })).json().data.yaml as string;
    expect(cfg).toContain('password: <secret>');
    expect(cfg).not.toContain('hunter2');
    const targets = JSON.stringify((await monitor.app.inject({ url: '/api/v1/targets' })).json());
    expect(targets).not.toContain('hunter2');
  });

  it('reports targets dropped by relabeling as droppedTargets, filtered by state', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mon-'));
    const file = path.join(dir, 'vigil.yml');
    writeFileSync(
      file,
      "scrape_configs:\n  - job_name: web\n    static_configs:\n      - targets: ['127.0.0.1:9', 'drop-me:9']\n    relabel_configs:\n      - source_labels: [__address__]\n        regex: 'drop-me:.*'\n        action: drop\n",
    );
    const monitor = await createMonitor({ config: file, listen: false });
    cleanups.push(() => monitor.stop());
    const all = (await monitor.app.inject({ url: '/api/v1/targets' })).json().data;
    expect(all.activeTargets.map((t: Json) => t.labels.instance)).toEqual(['127.0.0.1:9']);
    expect(all.droppedTargets).toEqual([{ discoveredLabels: expect.objectContaining({ __address__: 'drop-me:9', job: 'web' }) }]);
    expect((await monitor.app.inject({ url: '/api/v1/targets?state=active' })).json().data.droppedTargets).toEqual([]);
    expect((await monitor.app.inject({ url: '/api/v1/targets?state=dropped' })).json().data.activeTargets).toEqual([]);
  });

  it('contains hostile targets: huge body, garbage, slow drip, and marks their series stale', async () => {
    let mode: 'ok' | 'huge' | 'garbage' | 'drip' = 'ok';
    const server = createServer((_req, res) => {
      if (mode === 'ok') res.end('good_metric 1\n');
      else if (mode === 'garbage') res.end('good_metric 1\n{{{ not metrics\n');
      else if (mode === 'huge') {
        res.write('good_metric 1\n');
        const chunk = `# ${'x'.repeat(64 * 1024)}\n`;
        let sent = 0;
        const pump = (): void => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent < 200) res.once('drain', pump);
          else res.end();
        };
        pump();
      } else {
        res.write('good_metric 1\n');
        const t = setInterval(() => res.write('# drip\n'), 20);
        res.on('close', () => clearInterval(t));
      }
    });
    server.on('error', () => undefined);
    const port = await listen(server);
    cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-mon-'));
    const file = path.join(dir, 'vigil.yml');
    writeFileSync(
      file,
      `global:\n  scrape_interval: 1h\n  scrape_timeout: 300ms\nscrape_configs:\n  - job_name: hostile\n    body_size_limit: 1MB\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const monitor = await createMonitor({ config: file, listen: false });
    cleanups.push(() => monitor.stop());
    const q = async (expr: string): Promise<Json[]> => (await monitor.app.inject({ url: `/api/v1/query?query=${encodeURIComponent(expr)}` })).json().data.result;
    await monitor.scrape.scrapeAll();
    expect((await q('good_metric'))[0].value[1]).toBe('1');
    for (const [m, err] of [['huge', /body size limit/], ['garbage', /line 2/], ['drip', /deadline|timeout/]] as const) {
      mode = m;
      await monitor.scrape.scrapeAll();
      const t = monitor.scrape.targets()[0]!;
      expect(t.health).toBe('down');
      expect(t.lastError).toMatch(err);
      expect((await q('up'))[0].value[1]).toBe('0');
      // The failed scrape wrote a staleness marker: the series is gone from instant queries.
      expect(await q('good_metric')).toEqual([]);
      mode = 'ok';
      await monitor.scrape.scrapeAll();
      expect((await q('good_metric'))[0].value[1]).toBe('1');
    }
  }, 20_000);
});
