import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import { createSqliteStateStore } from '../src/state/sqlite-store.js';
import { DAY_MS, utcDay } from '../src/status-page/day.js';
import { STATUS_PAGE_MIGRATIONS } from '../src/status-page/rollup.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const artifacts = path.join(root, 'test-artifacts');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

let dir = '';
let backend: Server;
let monitor: Monitor;
let browser: Browser;
const now = Date.now();
const day = (ago: number): string => utcDay(now - ago * DAY_MS);

/** Seeds 89 past days of history, as an earlier run of the monitor would have left it. */
async function seedHistory(file: string): Promise<void> {
  const store = createSqliteStateStore({ path: file });
  await store.migrate('status_page', STATUS_PAGE_MIGRATIONS);
  const rows: unknown[][] = [];
  for (let ago = 1; ago <= 89; ago++) {
    // API: a bad day 3 days ago, a minor one 10 days ago, a partial one 20 days ago.
    const apiOk = ago === 3 ? 1_152 : ago === 10 ? 1_433 : ago === 20 ? 1_397 : 1_440;
    rows.push(['API', day(ago), 'seed', 1_440, apiOk, ago === 3 ? 288 * 60_000 : 0, now]);
    // Website: monitored for 60 days only; the older days have no data.
    if (ago <= 60) rows.push(['Website', day(ago), 'seed', 1_440, 1_440, 0, now]);
  }
  await store.transaction((tx) =>
    tx.executeMany('INSERT INTO status_page_uptime (service, day, writer, checks, successes, downtime_ms, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', rows),
  );
  await store.close();
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-status-browser-'));
  await seedHistory(path.join(dir, 'state.db'));
  backend = createServer((req, res) => res.writeHead(req.url === '/down' ? 503 : 200).end('ok'));
  const port = await listen(backend);
  const yaml = `
probes:
  - name: api
    target: http://127.0.0.1:${port}/down
    interval: 1h
  - name: web
    target: http://127.0.0.1:${port}/
    interval: 1h
status_page:
  title: Acme status
  description: Live status of Acme's public services.
  services:
    - name: API
      description: The public REST API
      probes: [api]
    - name: Website
      probes: [web]
`;
  monitor = await createMonitor({ config: parseConfig(yaml, path.join(dir, 'vigil.yml'), { env: {} }), port: 0, dataDir: dir, auth: { adminPassword: 'correct-horse-battery-staple-1' } });
  const opened = new Date(now - 40 * 60_000).toISOString();
  monitor.statusPage.setIncidentSource({
    publicIncidents: () => [
      {
        id: 'inc-42',
        title: 'API requests failing',
        severity: 'high',
        status: 'acknowledged',
        service: 'API',
        opened_at: opened,
        public_updates: [
          { at: opened, status: 'investigating', text: 'We are investigating failing API requests.' },
          { at: new Date(now - 10 * 60_000).toISOString(), status: 'identified', text: 'A faulty deploy was identified and is being rolled back.' },
        ],
      },
      {
        id: 'inc-41',
        title: 'Slow website',
        severity: 'warning',
        status: 'resolved',
        service: 'Website',
        opened_at: new Date(now - 2 * DAY_MS).toISOString(),
        resolved_at: new Date(now - 2 * DAY_MS + 3_600_000).toISOString(),
        public_updates: [{ at: new Date(now - 2 * DAY_MS + 3_600_000).toISOString(), status: 'resolved', text: 'Pages load normally again.' }],
      },
    ],
  });
  await monitor.probes.runAll();
  await monitor.probes.runAll();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await monitor?.stop();
  await new Promise<void>((r) => (backend ? backend.close(() => r()) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('status page in Chromium', () => {
  it('renders logged out on a 375 px phone: bars with labels, the incident update, no horizontal scroll, no serious axe violation', async () => {
    // A fresh context has no session cookie: the visitor is logged out. The page's CSP forbids
    // scripts, so axe is injected with CSP bypassed (the page itself needs no script).
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${monitor.url}/status`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Acme status');

    // The incident and its latest public update are shown; the API is in partial outage (high severity)
    // or worse (its probe fails).
    expect(await page.getByText('A faulty deploy was identified and is being rolled back.').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'API requests failing' }).isVisible()).toBe(true);
    const apiCard = page.locator('article', { has: page.getByRole('heading', { name: 'API', exact: true }) });
    expect(await apiCard.locator('.state').textContent()).toMatch(/Major outage/);

    // Each day's bar carries its text; on a phone the last 30 days are shown.
    const bars = page.locator('.bars [role="img"]');
    expect(await bars.count()).toBe(180);
    expect(await page.getByRole('img', { name: `${day(3)}: 80.00% uptime, 288 min outage` }).isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: `${day(10)}: 99.51% uptime` }).isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: `${day(1)}: 100.00% uptime` }).first().isVisible()).toBe(true);
    // Older days are in the document (hidden on a phone) with the same labels.
    expect(await page.locator(`[role="img"][aria-label="${day(70)}: no data"]`).count()).toBe(1);
    expect(await page.getByText('below 95%').isVisible()).toBe(true);
    // Website has 61 days of data (60 seeded and today): the figure says so.
    expect(await page.getByText('100.00% uptime over 61 days with data in the last 90').isVisible()).toBe(true);

    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);

    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    await page.screenshot({ path: path.join(artifacts, 'status-page.png'), fullPage: true });
    await context.close();
  });

  it('shows all 90 days on a desktop and works without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${monitor.url}/status`);
    expect(await page.getByRole('img', { name: `${day(70)}: no data` }).isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: `${day(20)}: 97.01% uptime` }).isVisible()).toBe(true);
    expect(await page.getByText('Pages load normally again.').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(artifacts, 'status-page-desktop.png'), fullPage: true });
    await context.close();
  });
});
