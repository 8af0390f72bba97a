// End-to-end browser test of the web UI: Debian's Chromium (playwright-core) against a real
// monitor on port 0 that scrapes a real instrumented service (the demo service) every second,
// probes its health, evaluates a rule that fires a critical alert quickly, and has auth on with a
// known admin password. Screenshots go to test-artifacts/.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoService, type DemoService } from '@vigil/example-demo-service';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/monitor/index.js';

// Playwright answers are loosely typed JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN_PASSWORD = 'browser-test-admin-pw-1';

let demo: DemoService;
let monitor: Monitor;
let browser: Browser;
let traffic: NodeJS.Timeout;

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `dashboard-${name}.png`), fullPage: true });
}

/** Runs axe-core in the page; returns the serious and critical violations. */
async function axe(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource); // evaluated by the test harness: the page's CSP (rightly) forbids inline scripts
  const result: Json = await page.evaluate(async () => (window as Json).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v: Json) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: Json) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n: Json) => n.target.join(' ')) }));
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  demo = await startDemoService({ port: 0, host: '127.0.0.1', databaseUrl: '', redisUrl: '', healthToken: '' });
  // Steady traffic so the golden-signal charts have data.
  traffic = setInterval(() => {
    void fetch(`${demo.url}/api/users`).then((r) => r.arrayBuffer()).catch(() => undefined);
  }, 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-ui-'));
  writeFileSync(
    path.join(dir, 'rules.yml'),
    `groups:
  - name: shop
    interval: 1s
    rules:
      - alert: ShopTrafficDrill
        expr: sum by (service) (rate(http_requests_total{service="shop"}[5s])) > 0
        labels:
          severity: critical
        annotations:
          summary: Shop is receiving traffic (drill alert)
          runbook_url: https://runbooks.example.com/shop
`,
  );
  writeFileSync(
    path.join(dir, 'vigil.yml'),
    `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: shop
    static_configs:
      - targets: ['${new URL(demo.url).host}']
        labels:
          service: shop
probes:
  - name: shop-ready
    type: http
    target: ${demo.url}/health/ready
    interval: 1s
rule_files:
  - ${dir}/rules.yml
alerting:
  config:
    route:
      receiver: default
      group_by: [alertname]
      group_wait: 0s
      group_interval: 1s
    receivers:
      - name: default
incidents:
  playbooks:
    - name: shop_traffic
      trigger: ['alertname="ShopTrafficDrill"']
      steps:
        - Check the shop dashboard
        - { title: Page the shop team, action: "vigil notify shop-oncall" }
server:
  auth:
    enabled: true
`,
  );
  monitor = await createMonitor({ config: path.join(dir, 'vigil.yml'), port: 0, listenAddress: '127.0.0.1', auth: { adminPassword: ADMIN_PASSWORD } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  clearInterval(traffic);
  await browser?.close();
  await monitor?.stop();
  await new Promise((r) => demo?.server.close(r));
  for (const c of demo?.cleanups ?? []) await c.run();
});

describe('dashboard in Chromium', () => {
  it('logs in, shows the firing alert, silences it, runs a query, works by keyboard and at 375 px, passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    // Logged out: the SPA shell loads (public) and shows the login screen.
    const res = await page.goto(`${monitor.url}/`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${monitor.url}/ui/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    expect(await axe(page)).toEqual([]);
    await shot(page, 'login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Overview: the service with health and charts, the firing alert, live connection.
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const card = page.locator('article[data-service="shop"]');
    await card.waitFor();
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 15_000 });
    // The alert fires within a few scrapes and arrives through the live stream (no reload).
    await page.locator('.alert-list').getByText('ShopTrafficDrill').first().waitFor({ timeout: 30_000 });
    await expect.poll(async () => card.locator('.badge').first().textContent(), { timeout: 20_000 }).toBe('up');
    // Traffic and errors, latency, saturation.
    await expect.poll(async () => card.locator('canvas').count(), { timeout: 20_000 }).toBe(3);
    expect(await card.locator('figcaption').allTextContents()).toEqual(['Traffic (req/s) and errors (%)', 'Latency', 'Saturation (%)']);
    expect(await page.getByText('Loading Vigil').count()).toBe(0);
    expect(await page.evaluate(() => performance.getEntriesByName('vigil:overview-rendered').length)).toBe(1);
    const overview: Json = await page.evaluate(async () => (await fetch('/api/vigil/overview')).json());
    const shop = overview.services.find((s: Json) => s.name === 'shop');
    expect(shop.targets).toEqual({ up: 1, total: 1 });
    expect(shop.probes.map((p: Json) => p.name)).toEqual(['shop-ready']);
    expect(shop.signals.request_rate).toBeGreaterThan(0);
    expect(overview.alerts.firing).toBeGreaterThanOrEqual(1);
    expect(await axe(page)).toEqual([]);

    // The incident the critical alert opened: open it from the overview, acknowledge, follow the timeline.
    const incidentLink = page.locator('.incident-list a').first();
    await incidentLink.waitFor({ timeout: 30_000 });
    expect(await incidentLink.textContent()).toContain('ShopTrafficDrill');
    await shot(page, 'overview');
    await incidentLink.click();
    await page.getByRole('heading', { name: /ShopTrafficDrill/, level: 1 }).waitFor();
    const incidentId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    expect(await page.locator('.meta .badge').nth(1).textContent()).toBe('open');
    await page.getByRole('link', { name: 'Runbook' }).waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.locator('.timeline li.tl-acknowledged').waitFor();
    expect(await page.locator('.timeline li.tl-acknowledged .tl-actor').textContent()).toBe('admin');
    expect(await page.locator('.meta .badge').nth(1).textContent()).toBe('acknowledged');
    // Playbook step checked off into the timeline, and a note.
    await page.getByRole('checkbox', { name: 'Check the shop dashboard' }).check();
    // (the incident's opening also logs the attached playbook as a playbook_step entry by "vigil")
    await page.locator('.timeline li.tl-playbook_step').filter({ has: page.locator('.tl-actor', { hasText: 'admin' }) }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Check the shop dashboard' }).isDisabled()).toBe(true);
    await page.getByLabel('Add a note').fill('looking at the shop traffic');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.timeline li.tl-note').getByText('looking at the shop traffic').waitFor();
    const incident: Json = await page.evaluate(async (id) => (await fetch(`/api/vigil/incidents/${encodeURIComponent(id)}`)).json(), incidentId);
    expect(incident.status).toBe('acknowledged');
    expect(incident.timeline.find((t: Json) => t.kind === 'acknowledged').actor).toBe('admin');
    expect(incident.timeline.find((t: Json) => t.kind === 'note').actor).toBe('admin');
    expect(await axe(page)).toEqual([]);
    await shot(page, 'incident');
    // A notification's resolve link asks to confirm instead of acting on a GET.
    await page.goto(`${monitor.url}/ui/#/incidents/${encodeURIComponent(incidentId)}?action=resolve`);
    await page.getByRole('button', { name: 'Resolve this incident' }).waitFor();
    expect((await (await fetch(`${monitor.url}/api/vigil/incidents/${encodeURIComponent(incidentId)}`, { headers: { cookie: await cookieHeader(page) } })).json()).status).toBe('acknowledged');
    await page.goto(`${monitor.url}/ui/#/`);
    await page.reload();
    await card.waitFor();

    // Live: an incident opened elsewhere appears on the open overview without a reload.
    await page.evaluate(() => ((window as Json).__sameDocument = true));
    const status: number = await page.evaluate(async () => {
      const me = await (await fetch('/api/vigil/auth/me')).json();
      const r = await fetch('/api/vigil/incidents', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ title: 'Manual drill incident', severity: 'warning', service: 'shop' }) });
      return r.status;
    });
    expect(status).toBe(201);
    await page.locator('.incident-list').getByText('Manual drill incident').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as Json).__sameDocument)).toBe(true);

    // Keyboard only, from a fresh page load: skip link first, then the main menu; Enter follows a menu link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Vigil');
    const menu: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      menu.push((await page.evaluate(() => document.activeElement?.closest('nav') ? document.activeElement.textContent : 'outside')) ?? '');
    }
    expect(menu).toEqual(['Overview', 'Alerts', 'Incidents', 'Silences', 'Targets', 'Rules', 'Query']);
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Alerts');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/alerts');

    // Alerts → Silence (prefilled from the alert's labels) → shows as silenced in API v2.
    const alertItem = page.locator('li.alert[data-alertname="ShopTrafficDrill"]').first();
    await alertItem.waitFor({ timeout: 20_000 });
    expect(await axe(page)).toEqual([]);
    await shot(page, 'alerts');
    await alertItem.getByRole('link', { name: /Silence/ }).click();
    await page.getByRole('heading', { name: 'New silence' }).waitFor();
    const labelInputs = page.locator('.matcher-row input');
    const prefilled: string[] = [];
    for (let i = 0; i < (await labelInputs.count()); i += 2) prefilled.push(`${await labelInputs.nth(i).inputValue()}=${await labelInputs.nth(i + 1).inputValue()}`);
    expect(prefilled).toEqual(expect.arrayContaining(['alertname=ShopTrafficDrill', 'severity=critical', 'service=shop']));
    await page.getByLabel('Duration').fill('1h');
    await page.getByLabel('Comment').fill('drill: silenced from the browser test');
    await page.getByRole('button', { name: 'Create silence' }).click();
    await page.locator('tr[data-silence]').getByText('drill: silenced from the browser test').waitFor();
    expect(await page.locator('tr[data-silence] .badge').first().textContent()).toBe('active');
    await expect
      .poll(
        async () => {
          const alerts: Json = await (await fetch(`${monitor.url}/api/v2/alerts?filter=alertname%3D%22ShopTrafficDrill%22`)).json();
          return alerts.map((a: Json) => a.status.state);
        },
        { timeout: 20_000 },
      )
      .toEqual(['suppressed']);
    const silences: Json = await (await fetch(`${monitor.url}/api/v2/silences`)).json();
    expect(silences.find((s: Json) => s.comment === 'drill: silenced from the browser test').createdBy).toBe('admin');
    expect(await axe(page)).toEqual([]);
    await shot(page, 'silences');

    // Query page: graph and table; a parse error shows its position.
    await page.getByRole('link', { name: 'Query', exact: true }).click();
    await page.getByLabel('PromQL expression').fill('sum by (job) (rate(http_requests_total[10s]))');
    await page.getByRole('button', { name: 'Run query' }).click();
    await page.locator('.result-table tbody tr').first().waitFor();
    expect(await page.locator('.result-table tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.result-table tbody tr').first().textContent()).toContain('job="shop"');
    await page.locator('#graph-title ~ figure canvas').first().waitFor();
    expect(await axe(page)).toEqual([]);
    await shot(page, 'query');
    await page.getByLabel('PromQL expression').fill('sum(rate(http_requests_total[5m])');
    await page.getByRole('button', { name: 'Run query' }).click();
    const err = page.locator('#query-error');
    await err.waitFor();
    expect(await err.textContent()).toContain('parse error');
    expect(await err.locator('pre').getAttribute('aria-label')).toMatch(/^Error at line 1, column \d+$/);

    // Targets and rules pages.
    await page.getByRole('link', { name: 'Targets', exact: true }).click();
    await page.getByRole('heading', { name: /^shop/ }).waitFor();
    expect(await page.locator('td .badge').first().textContent()).toBe('up');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    await page.getByText('ShopTrafficDrill').first().waitFor();
    expect(await axe(page)).toEqual([]);

    // Phone width: no horizontal scrolling, menu still reachable.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    // Charts below the fold are drawn when scrolled to.
    await card.locator('.chart-canvas').last().scrollIntoViewIfNeeded();
    await expect.poll(async () => card.locator('canvas').count(), { timeout: 20_000 }).toBe(3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'overview-375');

    // Dark theme keeps contrast.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: /light and dark theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await axe(page)).toEqual([]);
    await shot(page, 'overview-dark');

    // Admin: add a viewer, create an API token (shown once) that works on the API.
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByLabel('Username').fill('viewer1');
    await page.getByLabel('Password').fill('viewer1-password-123');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('cell', { name: 'viewer1', exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('ci');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('.callout code').textContent())!;
    expect((await fetch(`${monitor.url}/api/vigil/overview`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await axe(page)).toEqual([]);
    await shot(page, 'admin');

    // Sign out; the public status page works logged out, and the APIs do not.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    expect((await page.evaluate(async () => (await fetch('/api/vigil/overview')).status))).toBe(401);
    await page.getByRole('link', { name: 'Public status page' }).click();
    await page.waitForURL(`${monitor.url}/status`);
    expect(await page.locator('body').textContent()).toContain('shop');
    expect(await page.locator('body').textContent()).not.toContain('ShopTrafficDrill');
    await shot(page, 'status-page');

    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 180_000);
});
