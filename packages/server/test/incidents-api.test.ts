import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/create-monitor.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-incidents-api-'));
  dirs.push(d);
  return d;
}

async function monitor(yaml: string, dir = tmp()): Promise<Monitor> {
  const file = path.join(dir, 'vigil.yml');
  fs.writeFileSync(file, yaml);
  return createMonitor({ config: parseConfig(yaml, file), listen: false });
}

const NO_AUTH = 'server:\n  auth:\n    enabled: false\n';

describe('incidents API on the monitor', () => {
  it('serves the contract: open, list with filters, detail, acknowledge, notes, public updates, resolve, stats; 400 and 404', async () => {
    const m = await monitor(NO_AUTH);
    try {
      const post = (url: string, payload?: unknown) => m.app.inject({ method: 'POST', url, ...(payload !== undefined ? { payload: payload as object } : {}) });
      const created = await post('/api/vigil/incidents', { title: 'Checkout failing', severity: 'critical', service: 'checkout', summary: 'card payments fail' });
      expect(created.statusCode).toBe(201);
      const inc = created.json();
      expect(inc).toMatchObject({ title: 'Checkout failing', severity: 'critical', status: 'open', service: 'checkout', summary: 'card payments fail', alert_count: 0, public: false, alerts: [], links: {}, public_updates: [] });
      expect(inc.timeline).toEqual([{ at: inc.opened_at, actor: 'anonymous', kind: 'opened', text: 'opened by anonymous' }]);
      await post('/api/vigil/incidents', { title: 'Slow search', severity: 'warning', service: 'search' });

      const all = (await m.app.inject('/api/vigil/incidents')).json();
      expect(all.incidents.map((i: { title: string }) => i.title)).toEqual(['Slow search', 'Checkout failing']);
      expect((await m.app.inject('/api/vigil/incidents?severity=critical')).json().incidents).toHaveLength(1);
      expect((await m.app.inject('/api/vigil/incidents?service=search&status=open')).json().incidents[0].title).toBe('Slow search');
      expect((await m.app.inject('/api/vigil/incidents?limit=1')).json().incidents).toHaveLength(1);

      const ack = await m.app.inject({ method: 'POST', url: `/api/vigil/incidents/${inc.id}/acknowledge`, headers: { 'content-type': 'application/json' }, payload: '' });
      expect(ack.statusCode).toBe(200);
      expect(ack.json()).toMatchObject({ status: 'acknowledged' });
      expect(ack.json().acknowledged_at).toEqual(expect.any(String));
      const note = await post(`/api/vigil/incidents/${inc.id}/notes`, { text: 'rolled back 1.4.2' });
      expect(note.json().timeline.at(-1)).toMatchObject({ kind: 'note', actor: 'anonymous', text: 'rolled back 1.4.2' });
      const pub = await post(`/api/vigil/incidents/${inc.id}/public-updates`, { status: 'identified', text: 'A bad release; rolling back.' });
      expect(pub.json()).toMatchObject({ public: true, public_updates: [{ status: 'identified', text: 'A bad release; rolling back.' }] });
      const resolved = await post(`/api/vigil/incidents/${inc.id}/resolve`, {});
      expect(resolved.json()).toMatchObject({ status: 'resolved' });

      const stats = (await m.app.inject('/api/vigil/incidents/stats')).json();
      expect(stats.groups).toEqual(
        expect.arrayContaining([expect.objectContaining({ service: 'checkout', severity: 'critical', count: 1, mtta_seconds: expect.any(Number), mttr_seconds: expect.any(Number) })]),
      );
      expect(Date.parse(stats.to) - Date.parse(stats.from)).toBe(30 * 86_400_000);

      // The status page sees it (public), with the public update only.
      const page = (await m.app.inject('/api/public/status')).json();
      expect(JSON.stringify(page)).not.toContain('rolled back 1.4.2');

      // Validation and unknown ids.
      for (const [url, body, msg] of [
        ['/api/vigil/incidents', { title: '', severity: 'critical' }, 'title'],
        ['/api/vigil/incidents', { title: 'x', severity: 'huge' }, 'severity'],
        [`/api/vigil/incidents/${inc.id}/notes`, { text: 42 }, 'text'],
        [`/api/vigil/incidents/${inc.id}/public-updates`, { status: 'panicking', text: 'x' }, 'status'],
        [`/api/vigil/incidents/${inc.id}/playbook/steps/1`, { done: true }, 'no playbook'],
        [`/api/vigil/incidents/${inc.id}/acknowledge`, {}, 'resolved'],
      ] as const) {
        const r = await post(url, body);
        expect(r.statusCode, url).toBe(400);
        expect(r.json()).toMatchObject({ code: 'VIGIL_ERR_INCIDENT_INVALID' });
        expect(r.json().error).toContain(msg);
      }
      expect((await m.app.inject('/api/vigil/incidents?status=weird')).statusCode).toBe(400);
      const badJson = await m.app.inject({ method: 'POST', url: `/api/vigil/incidents/${inc.id}/notes`, headers: { 'content-type': 'application/json' }, payload: '{"text": ' });
      expect(badJson.statusCode).toBe(400);
      expect((await m.app.inject('/api/vigil/incidents/stats?from=yesterday')).statusCode).toBe(400);
      const missing = await m.app.inject('/api/vigil/incidents/nope');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: 'incident "nope" not found', code: 'VIGIL_ERR_INCIDENT_NOT_FOUND' });
      expect((await post('/api/vigil/incidents/nope/acknowledge')).statusCode).toBe(404);

      // Metrics on the monitor registry.
      const metrics = (await m.app.inject('/metrics')).body;
      expect(metrics).toContain('vigil_incidents_total{severity="critical"} 1');
      expect(metrics).toContain('vigil_incidents_open{severity="warning"} 1');
      expect(metrics).toContain('vigil_incidents_open{severity="critical"} 0');
    } finally {
      await m.stop();
    }
  });

  it('records the authenticated actor; viewers may read but not act', async () => {
    const m = await monitor('server:\n  auth:\n    enabled: true\n');
    try {
      const responder = await m.auth.createToken({ name: 'oncall-bot', role: 'responder' });
      const viewer = await m.auth.createToken({ name: 'wallboard', role: 'viewer' });
      const as = (t: string) => ({ authorization: `Bearer ${t}` });
      expect((await m.app.inject('/api/vigil/incidents')).statusCode).toBe(401);
      const created = await m.app.inject({ method: 'POST', url: '/api/vigil/incidents', headers: as(responder.token), payload: { title: 'Disk full', severity: 'high' } });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json().timeline[0].actor).toBe('token:oncall-bot');
      expect((await m.app.inject({ url: `/api/vigil/incidents/${id}`, headers: as(viewer.token) })).statusCode).toBe(200);
      expect((await m.app.inject({ method: 'POST', url: `/api/vigil/incidents/${id}/acknowledge`, headers: as(viewer.token) })).statusCode).toBe(403);
      const ack = await m.app.inject({ method: 'POST', url: `/api/vigil/incidents/${id}/acknowledge`, headers: as(responder.token) });
      expect(ack.json().timeline.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'token:oncall-bot' });
      expect((await m.app.inject({ url: '/emergency/status' })).statusCode).toBe(401);
    } finally {
      await m.stop();
    }
  });

  it('a reload applies the new policy and follows the rebuilt alerting pipeline', async () => {
    const dir = tmp();
    const file = path.join(dir, 'vigil.yml');
    const yaml = (policy: string, wait: string) =>
      `${NO_AUTH}alerting:\n  config:\n    route:\n      receiver: r\n      group_by: [alertname]\n      group_wait: ${wait}\n      group_interval: 1s\n    receivers:\n      - name: r\nincidents:\n  open_when: ['${policy}']\n`;
    fs.writeFileSync(file, yaml('severity="critical"', '200ms'));
    const m = await createMonitor({ config: file, listen: false });
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      const fire = (alertname: string, severity: string) =>
        m.app.inject({ method: 'POST', url: '/api/v2/alerts', payload: [{ labels: { alertname, severity, service: 'web' }, startsAt: new Date().toISOString() }] });
      await fire('Crit', 'critical');
      await fire('Warn1', 'warning');
      await until(async () => (await m.incidents.list()).length > 0);
      await new Promise((r) => setTimeout(r, 500));
      expect((await m.incidents.list()).map((i) => i.title)).toEqual(['Crit on web']);
      fs.writeFileSync(file, yaml('severity="warning"', '300ms'));
      await m.reload();
      await fire('Warn2', 'warning');
      await until(async () => (await m.incidents.list()).length > 1);
      // The rebuilt pipeline (group_wait changed) starts empty without a data dir: only Warn2 is in it.
      await new Promise((r) => setTimeout(r, 500));
      expect((await m.incidents.list()).map((i) => i.title).sort()).toEqual(['Crit on web', 'Warn2 on web']);
    } finally {
      await m.stop();
    }
  });

  it('state.postgres_url: the monitor keeps incidents in PostgreSQL across restarts', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const schema = `vigil_incidents_monitor_${process.pid}_${Date.now()}`;
    const yaml = `${NO_AUTH}state:\n  postgres_url: \${TEST_PG_URL}\n  schema: ${schema}\n`;
    const dir = tmp();
    const file = path.join(dir, 'vigil.yml');
    fs.writeFileSync(file, yaml);
    const env = { ...process.env, TEST_PG_URL: postgresUrl() };
    try {
      let m = await createMonitor({ config: parseConfig(yaml, file, { env }), listen: false });
      const created = await m.app.inject({ method: 'POST', url: '/api/vigil/incidents', payload: { title: 'On Postgres', severity: 'high' } });
      expect(created.statusCode).toBe(201);
      const cfgText = (await m.app.inject('/api/v1/status/config')).body;
      expect(cfgText).not.toContain(postgresUrl());
      await m.stop();
      m = await createMonitor({ config: parseConfig(yaml, file, { env }), listen: false });
      const again = await m.app.inject(`/api/vigil/incidents/${created.json().id}`);
      expect(again.json()).toMatchObject({ title: 'On Postgres', severity: 'high', status: 'open' });
      await m.stop();
    } finally {
      const c = new pg.Client({ connectionString: postgresUrl() });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });

  it('/emergency/status: normal without critical issues; emergency with an open critical incident; error rate and latency from the standard HTTP metrics', async () => {
    const m = await monitor(NO_AUTH);
    try {
      let s = (await m.app.inject('/emergency/status')).json();
      expect(s).toMatchObject({ status: 'normal', critical_issues: [], error_rates: { overall_percent: null, by_service: [] }, response_times: { p95_ms: null }, system_health: { state_store: 'ok' } });
      expect(s.timestamp).toBe(s.last_updated);

      // Standard HTTP metrics for job "shop": 10 req/s, 1 of them 5xx; all requests under 100 ms.
      const now = Date.now();
      const series = (labels: Record<string, string>, perSec: number) => {
        for (let t = now - 600_000; t <= now; t += 15_000) m.store.append(labels, t, ((t - (now - 600_000)) / 1000) * perSec);
      };
      series({ __name__: 'http_requests_total', job: 'shop', status_code: '200' }, 9);
      series({ __name__: 'http_requests_total', job: 'shop', status_code: '500' }, 1);
      for (const [le, share] of [['0.05', 5], ['0.1', 10], ['+Inf', 10]] as const) series({ __name__: 'http_request_duration_seconds_bucket', job: 'shop', le }, share);

      const inc = await m.app.inject({ method: 'POST', url: '/api/vigil/incidents', payload: { title: 'Shop down', severity: 'critical', service: 'shop' } });
      s = (await m.app.inject('/emergency/status')).json();
      expect(s.status).toBe('emergency');
      expect(s.critical_issues).toEqual([{ type: 'incident', title: 'Shop down', service: 'shop', since: inc.json().opened_at, incident_id: inc.json().id, status: 'open' }]);
      expect(s.error_rates.overall_percent).toBeCloseTo(10, 1);
      expect(s.error_rates.by_service).toEqual([{ service: 'shop', percent: 10 }]);
      expect(s.response_times.p50_ms).toBeCloseTo(50, 0);
      expect(s.response_times.p95_ms).toBeGreaterThan(50);
      expect(s.response_times.p95_ms).toBeLessThanOrEqual(100);
      expect(s.response_times.by_service[0]).toMatchObject({ service: 'shop' });
    } finally {
      await m.stop();
    }
  });
});
