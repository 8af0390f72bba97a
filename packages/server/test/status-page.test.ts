import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';

// Answers are checked field by field; a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A backend whose secret path fails with a detailed error body. */
async function failingBackend(): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('internal stack trace: db-primary.corp connection reset');
  });
  const port = await listen(server);
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return port;
}

async function start(yaml: string, dataDir?: string): Promise<Monitor> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-status-'));
  if (!dataDir) cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const monitor = await createMonitor({ config: parseConfig(yaml, path.join(dir, 'vigil.yml'), { env: {} }), port: 0, dataDir: dir, auth: { adminPassword: 'correct-horse-battery-staple-1' } });
  return monitor;
}

async function get(url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(url);
  return { status: r.status, headers: r.headers, text: await r.text() };
}

describe('public status page (whole monitor)', () => {
  it('is served without login and leaks no target, host, port, path, token, label or error text', async () => {
    const backend = await failingBackend();
    const closed = await closedPort();
    const monitor = await start(`
server:
  external_url: https://status.acme.example
global:
  scrape_interval: 200ms
  scrape_timeout: 100ms
scrape_configs:
  - job_name: api
    static_configs:
      - targets: ['127.0.0.1:${closed}']
        labels: {team: payments-internal}
probes:
  - name: checkout-secret-probe
    target: http://127.0.0.1:${backend}/secret-path?token=abc
    interval: 1h
    labels: {service: checkout-internal-label, team: payments-internal}
  - name: db-probe
    type: tcp
    target: 127.0.0.1:${closed}
    interval: 1h
status_page:
  title: Acme status
  services:
    - name: Checkout
      probes: [checkout-secret-probe]
    - name: Database
      probes: [db-probe]
    - name: API
      targets: [api]
`);
    cleanup.push(() => monitor.stop());
    // An incident source passing internal fields along must not leak them either.
    monitor.statusPage.setIncidentSource({
      publicIncidents: () => [
        {
          id: 'inc-1',
          title: 'Checkout failures',
          severity: 'critical',
          status: 'open',
          service: 'Checkout',
          opened_at: new Date().toISOString(),
          public_updates: [{ at: new Date().toISOString(), status: 'investigating', text: 'Payments fail for some customers.' }],
          ...({ labels: { instance: `127.0.0.1:${backend}`, team: 'payments-internal' }, alerts: [{ annotations: { description: 'secret-path token=abc' } }] } as object),
        },
      ],
    });
    await monitor.probes.runAll();
    await monitor.probes.runAll();
    // The API target fails every 200 ms scrape: confirmed down after two.
    await expect.poll(async () => ((await (await fetch(`${monitor.url}/api/public/status`)).json()) as Json).services[2].status, { timeout: 10_000 }).toBe('major_outage');
    // The errors exist inside the monitor: that is what must not reach the page.
    const errors = monitor.probes.status().map((p) => p.last?.error ?? '');
    expect(errors.join(' ')).toMatch(/unexpected status 500/);
    expect(errors.join(' ')).toMatch(/ECONNREFUSED/);
    const scrapeError = monitor.scrape.targets()[0]!.lastError;
    expect(scrapeError).not.toBe('');

    const html = await get(`${monitor.url}/status`);
    const json = await get(`${monitor.url}/api/public/status`);
    const atom = await get(`${monitor.url}/status/feed.atom`);
    for (const r of [html, json, atom]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=30');
    }
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(atom.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(html.text).not.toMatch(/<script/i);

    const page: Json = JSON.parse(json.text);
    expect(page.services.map((s: Json) => [s.name, s.status])).toEqual([
      ['Checkout', 'major_outage'],
      ['Database', 'major_outage'],
      ['API', 'major_outage'],
    ]);
    expect(page.incidents[0].updates[0].text).toBe('Payments fail for some customers.');
    expect(html.text).toContain('Payments fail for some customers.');
    expect(html.text).toContain('Major outage');

    const forbidden = [
      '127.0.0.1',
      'localhost',
      'secret-path',
      'token',
      'abc',
      'checkout-secret-probe',
      'db-probe',
      'checkout-internal-label',
      'payments-internal',
      'unexpected status',
      'ECONNREFUSED',
      'refused',
      'internal stack',
      'db-primary',
      scrapeError,
    ];
    for (const [name, body] of [['html', html.text], ['json', json.text], ['atom', atom.text]] as const) {
      for (const word of forbidden) expect(body.includes(word), `${name} contains ${word}`).toBe(false);
      for (const port of [backend, closed]) expect(new RegExp(`(?<![0-9])${port}(?![0-9])`).test(body), `${name} contains port ${port}`).toBe(false);
    }

    // Everything else still needs a login.
    expect((await fetch(`${monitor.url}/api/vigil/auth/me`)).status).toBe(401);
  });

  it('keeps today’s uptime across a monitor restart on the same data directory', async () => {
    const ok = createServer((_req, res) => res.writeHead(200).end('ok'));
    const port = await listen(ok);
    cleanup.push(() => new Promise<void>((r) => ok.close(() => r())));
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-status-restart-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const yaml = `probes:\n  - name: web\n    target: http://127.0.0.1:${port}/\n    interval: 1h\n    labels: {service: Website}\n`;
    const first = await start(yaml, dir);
    await first.probes.runAll();
    await first.probes.runAll();
    await expect.poll(async () => ((await (await fetch(`${first.url}/api/public/status`)).json()) as Json).services[0].days.at(-1).checks, { timeout: 5_000 }).toBe(3);
    await first.stop();

    const second = await start(yaml, dir);
    cleanup.push(() => second.stop());
    await second.probes.runAll();
    const status = async (): Promise<Json> => (await fetch(`${second.url}/api/public/status`)).json();
    // 3 checks before the restart, 1 on start and 1 more now.
    await expect.poll(async () => (await status()).services[0].days.at(-1).checks, { timeout: 5_000 }).toBe(5);
    const after = await status();
    expect(after.services[0].name).toBe('Website');
    expect(after.services[0].days.at(-1).uptime).toBe(100);
    expect(after.services[0].days.at(-2).uptime).toBeNull();
  });

  it('follows a config reload: new title and services, history kept by service name', async () => {
    const ok = createServer((_req, res) => res.writeHead(200).end('ok'));
    const port = await listen(ok);
    cleanup.push(() => new Promise<void>((r) => ok.close(() => r())));
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-status-reload-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'vigil.yml');
    const probes = `probes:\n  - name: web\n    target: http://127.0.0.1:${port}/\n    interval: 1h\n`;
    writeFileSync(file, `${probes}status_page:\n  title: Before\n  services:\n    - {name: Website, probes: [web]}\n`);
    const monitor = await createMonitor({ config: file, port: 0, dataDir: dir, auth: { adminPassword: 'correct-horse-battery-staple-1' } });
    cleanup.push(() => monitor.stop());
    await monitor.probes.runAll();
    writeFileSync(file, `${probes}status_page:\n  title: After\n  services:\n    - {name: Website, probes: [web]}\n    - {name: Docs, probes: [web]}\n`);
    await monitor.reload();
    await monitor.probes.runAll();
    const page: Json = await (await fetch(`${monitor.url}/api/public/status`)).json();
    expect(page.title).toBe('After');
    // Checks: the first run on start, runAll, the run on reload (probes restart), runAll.
    await expect
      .poll(async () => (((await (await fetch(`${monitor.url}/api/public/status`)).json()) as Json).services as Json[]).map((s: Json) => [s.name, s.days.at(-1).checks]), { timeout: 5_000 })
      .toEqual([
        ['Website', 4],
        ['Docs', 2],
      ]);
    // A reload with an unknown probe is refused and the page keeps the config in effect.
    writeFileSync(file, `${probes}status_page:\n  title: Broken\n  services:\n    - {name: Website, probes: [nope]}\n`);
    await expect(monitor.reload()).rejects.toThrow(/vigil\.yml:8:\d+: status_page\.services\[0\]\.probes\[0\]: unknown probe "nope"/);
    expect(((await (await fetch(`${monitor.url}/api/public/status`)).json()) as Json).title).toBe('After');
  });

  it('shows incidents made public through the incident API, with their public updates only', async () => {
    const ok = createServer((_req, res) => res.writeHead(200).end('ok'));
    const port = await listen(ok);
    cleanup.push(() => new Promise<void>((r) => ok.close(() => r())));
    const monitor = await start(`probes:
  - name: checkout-probe
    target: http://127.0.0.1:${port}/
    interval: 1h
status_page:
  services:
    - {name: Checkout, probes: [checkout-probe]}
`);
    cleanup.push(() => monitor.stop());
    await monitor.probes.runAll();
    const { token } = await monitor.auth.createToken({ name: 'status-test', role: 'responder' });
    const call = async (method: string, url: string, body: unknown): Promise<Json> => {
      const r = await fetch(`${monitor.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, `${method} ${url}`).toBeLessThan(300);
      return r.json();
    };
    const opened = await call('POST', '/api/vigil/incidents', { title: 'Checkout errors', severity: 'critical', service: 'Checkout', summary: 'db-primary.corp pool exhausted' });
    await call('POST', `/api/vigil/incidents/${opened.id}/notes`, { text: 'internal: restart pgbouncer on 10.9.8.7' });
    // Not public yet: the page does not show it.
    const quiet = async (): Promise<Json> => (await fetch(`${monitor.url}/api/public/status`)).json();
    expect((await quiet()).incidents).toEqual([]);
    await call('POST', `/api/vigil/incidents/${opened.id}/public-updates`, { status: 'identified', text: 'Some payments fail; a fix is being deployed.' });
    await expect.poll(async () => (await quiet()).incidents.length, { timeout: 5_000 }).toBe(1);
    const page = await quiet();
    expect(page.incidents[0]).toMatchObject({ title: 'Checkout errors', status: 'identified', service: 'Checkout', impact: 'major_outage' });
    expect(page.incidents[0].updates.map((u: Json) => u.text)).toEqual(['Some payments fail; a fix is being deployed.']);
    expect(page.services[0]).toMatchObject({ name: 'Checkout', status: 'major_outage' });
    const html = await (await fetch(`${monitor.url}/status`)).text();
    expect(html).toContain('Some payments fail; a fix is being deployed.');
    for (const body of [html, JSON.stringify(page)]) {
      expect(body).not.toMatch(/db-primary|pgbouncer|10\.9\.8\.7|status-test|checkout-probe/);
    }
  });

  it('answers 404 when disabled', async () => {
    const monitor = await start('status_page:\n  enabled: false\n');
    cleanup.push(() => monitor.stop());
    expect((await fetch(`${monitor.url}/status`)).status).toBe(404);
    expect((await fetch(`${monitor.url}/api/public/status`)).status).toBe(404);
  });
});
