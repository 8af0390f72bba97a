import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import { until as waitUntil } from '@vigil/test-support';

function run(cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: String(stdout), err: String(stderr) });
    });
  });
}

let monitor: Monitor;
let dir: string;
const configs: Record<string, string> = {};
const tokens = { viewer: '', responder: '' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-tools-'));
  monitor = await createMonitor({
    config: parseConfig('global:\n  scrape_interval: 1h\nserver:\n  auth:\n    compat_apis: token\n', path.join(dir, 'vigil.yml')),
    port: 0,
    auth: { adminPassword: 'tools-admin-password' },
  });
  const viewer = (tokens.viewer = (await monitor.auth.createToken({ name: 'promtool', role: 'viewer' })).token);
  const responder = (tokens.responder = (await monitor.auth.createToken({ name: 'amtool', role: 'responder' })).token);
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    configs[name] = file;
  };
  write('viewer-bearer.yml', `authorization:\n  type: Bearer\n  credentials: ${viewer}\n`);
  write('viewer-basic.yml', `basic_auth:\n  username: grafana\n  password: ${viewer}\n`);
  write('responder-bearer.yml', `authorization:\n  credentials: ${responder}\n`);
  write('responder-basic.yml', `basic_auth:\n  username: ops\n  password: ${responder}\n`);
});

let prometheus: ChildProcess | undefined;
afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    prometheus.kill('SIGTERM');
    await new Promise((r) => prometheus!.once('exit', r));
  }
  await monitor?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(what, fn, { timeoutMs: 45_000, intervalMs: 200, retryOnError: true });

describe('compat_apis: token with the real Prometheus and Alertmanager tools', () => {
  it('promtool query instant needs a token: basic auth in the server URL (promtool 2.42 has no --http.config.file for queries)', async () => {
    const withAuth = (user: string, secret: string) => monitor.url.replace('http://', `http://${user}:${secret}@`);
    const bare = await run('/usr/bin/promtool', ['query', 'instant', monitor.url, 'vector(7)']);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toMatch(/401|nauthorized/);
    const wrong = await run('/usr/bin/promtool', ['query', 'instant', withAuth('grafana', `vgl_${'x'.repeat(43)}`), 'vector(7)']);
    expect(wrong.code).not.toBe(0);
    const ok = await run('/usr/bin/promtool', ['query', 'instant', withAuth('grafana', tokens.viewer), 'vector(7)']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^\{\} => 7 @\[/);
    const range = await run('/usr/bin/promtool', ['query', 'range', '--start', String(Math.floor(Date.now() / 1000) - 60), '--step', '30s', withAuth('x', tokens.viewer), 'vector(3)']);
    expect(range.code).toBe(0);
    expect(range.out).toMatch(/^\{\} =>\n3 @\[/);
  });

  it('amtool reads with any token, adds silences with a responder token, and fails without credentials', async () => {
    const am = (cfg: string | undefined, ...args: string[]) => run('/usr/bin/amtool', [`--alertmanager.url=${monitor.url}`, ...(cfg ? [`--http.config.file=${configs[cfg]}`] : []), ...args]);
    const bare = await am(undefined, 'silence', 'query');
    expect(bare.code).not.toBe(0);
    const denied = await am('viewer-bearer.yml', 'silence', 'add', 'alertname=Noisy', '--comment=viewer may not');
    expect(denied.code).not.toBe(0);
    const added = await am('responder-bearer.yml', 'silence', 'add', 'alertname=Noisy', '--comment=maintenance', '--duration=1h');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    const id = added.out.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await am('viewer-basic.yml', 'silence', 'query', '-q');
    expect(listed.code).toBe(0);
    expect(listed.out.trim().split('\n')).toContain(id);
    expect(monitor.alerting.getSilence(id)?.comment).toBe('maintenance');
    const alerts = await am('responder-basic.yml', 'alert', 'query');
    expect(alerts.code).toBe(0);
  });

  it('the real Prometheus scrapes /metrics and pushes alerts with its authorization: blocks; without one it is refused', async () => {
    const promPort = await freePort();
    const vigil = new URL(monitor.url).host;
    writeFileSync(path.join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: AuthInteropAlways\n        expr: vector(1)\n        labels:\n          severity: info\n');
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      authorization:
        credentials: ${tokens.responder}
      static_configs:
        - targets: ['${vigil}']
scrape_configs:
  - job_name: with-token
    authorization:
      credentials: ${tokens.viewer}
    static_configs:
      - targets: ['${vigil}']
  - job_name: without-token
    static_configs:
      - targets: ['${vigil}']
`,
    );
    prometheus = spawn('/usr/bin/prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--rules.alert.resend-delay=1s'], { stdio: 'ignore' });
    const promUrl = `http://127.0.0.1:${promPort}`;
    const up = await until('both scrape jobs to report', async () => {
      const r = (await (await fetch(`${promUrl}/api/v1/query?query=up`)).json()) as { data: { result: { metric: { job: string }; value: [number, string] }[] } };
      return r.data.result.length === 2 ? Object.fromEntries(r.data.result.map((x) => [x.metric.job, x.value[1]])) : undefined;
    });
    expect(up).toEqual({ 'with-token': '1', 'without-token': '0' });
    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; lastError: string }[] } };
    expect(targets.data.activeTargets.find((t) => t.labels.job === 'without-token')?.lastError).toMatch(/401/);
    // The first send can race the discovery of the Alertmanager; a 1 s resend delay retries it quickly.
    const alert = await until('the alert pushed by Prometheus', async () => monitor.alerting.alerts().find((a) => a.alert.labels.alertname === 'AuthInteropAlways'));
    expect(alert.alert.labels.severity).toBe('info');
  }, 90_000);
});
