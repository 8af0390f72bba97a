import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';

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

afterAll(async () => {
  await monitor?.stop();
});

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
});
