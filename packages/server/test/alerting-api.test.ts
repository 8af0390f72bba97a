import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerApiPlugin } from '../src/alerting/api/plugin.js';
import { createAlertingPipeline, type AlertingPipeline } from '../src/alerting/pipeline.js';
import { amConfig } from './alerting-support/helpers.js';

const run = promisify(execFile);

const yaml = `
global:
  smtp_smarthost: 'smtp.example.com:587'
  smtp_from: 'am@example.com'
  smtp_auth_password: 'hunter2-secret'
route:
  receiver: team
  group_by: [alertname]
  routes:
    - receiver: pager
      matchers: [severity="critical"]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: team
    webhook_configs:
      - url: 'http://127.0.0.1:9/hook?token=abc-secret-token'
  - name: pager
    email_configs:
      - to: pager@example.com
`;

let app: FastifyInstance;
let pipeline: AlertingPipeline;
let url: string;

beforeAll(async () => {
  pipeline = await createAlertingPipeline({ config: await amConfig(yaml) });
  app = Fastify();
  await app.register(createAlertmanagerApiPlugin({ pipeline }));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await pipeline.stop();
  await app.close();
});

const amtool = async (...args: string[]) => (await run('amtool', [`--alertmanager.url=${url}`, ...args])).stdout;

describe('Alertmanager API v2 shapes', () => {
  it('accepts alerts, rejects invalid ones with 400, and lists them with status and receivers', async () => {
    const now = Date.now();
    const post = await app.inject({
      method: 'POST',
      url: '/api/v2/alerts',
      payload: [
        { labels: { alertname: 'Down', severity: 'critical', service: 'api' }, annotations: { summary: 'api down' }, startsAt: new Date(now).toISOString(), generatorURL: 'http://prom/graph' },
        { labels: { alertname: 'Slow', severity: 'warning', service: 'api' } },
      ],
    });
    expect(post.statusCode).toBe(200);
    const bad = await app.inject({ method: 'POST', url: '/api/v2/alerts', payload: [{ labels: {} }, { labels: { 'bad-name': 'x' } }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toContain('at least one label pair required');

    const all = (await app.inject({ url: '/api/v2/alerts' })).json() as Record<string, unknown>[];
    expect(all).toHaveLength(2);
    const down = all.find((a) => (a.labels as Record<string, string>).alertname === 'Down')!;
    expect(Object.keys(down).sort()).toEqual(['annotations', 'endsAt', 'fingerprint', 'generatorURL', 'labels', 'receivers', 'startsAt', 'status', 'updatedAt']);
    expect(down.receivers).toEqual([{ name: 'pager' }]);
    expect(down.status).toEqual({ inhibitedBy: [], silencedBy: [], state: 'active' });
    expect(down.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const slow = all.find((a) => (a.labels as Record<string, string>).alertname === 'Slow')!;
    expect(slow.status).toEqual({ inhibitedBy: [down.fingerprint], silencedBy: [], state: 'suppressed' });

    const notInhibited = (await app.inject({ url: '/api/v2/alerts?inhibited=false' })).json() as unknown[];
    expect(notInhibited).toHaveLength(1);
    const filtered = (await app.inject({ url: `/api/v2/alerts?filter=${encodeURIComponent('alertname="Slow"')}` })).json() as unknown[];
    expect(filtered).toHaveLength(1);
    const byReceiver = (await app.inject({ url: '/api/v2/alerts?receiver=pag.*' })).json() as unknown[];
    expect(byReceiver).toHaveLength(1);

    const groups = (await app.inject({ url: '/api/v2/alerts/groups' })).json() as { labels: unknown; receiver: unknown; alerts: unknown[] }[];
    expect(groups.map((g) => [g.labels, g.receiver, g.alerts.length]).sort()).toEqual(
      [
        [{ alertname: 'Down' }, { name: 'pager' }, 1],
        [{ alertname: 'Slow' }, { name: 'team' }, 1],
      ].sort(),
    );
  });

  it('serves receivers and status without secrets', async () => {
    expect((await app.inject({ url: '/api/v2/receivers' })).json()).toEqual([{ name: 'team' }, { name: 'pager' }]);
    const status = (await app.inject({ url: '/api/v2/status' })).json() as { config: { original: string }; cluster: { status: string }; versionInfo: object; uptime: string };
    expect(status.cluster.status).toBe('disabled');
    expect(status.config.original).toContain('receiver: team');
    expect(status.config.original).not.toContain('hunter2-secret');
    expect(status.config.original).not.toContain('abc-secret-token');
    expect(Date.parse(status.uptime)).toBeGreaterThan(0);
  });

  it('validates silences like Alertmanager', async () => {
    const start = new Date().toISOString();
    const end = new Date(Date.now() + 3600_000).toISOString();
    const emptyOnly = await app.inject({ method: 'POST', url: '/api/v2/silences', payload: { matchers: [{ name: 'a', value: '', isRegex: false }], startsAt: start, endsAt: end, createdBy: 'x', comment: 'y' } });
    expect(emptyOnly.statusCode).toBe(400);
    const backwards = await app.inject({ method: 'POST', url: '/api/v2/silences', payload: { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: end, endsAt: start, createdBy: 'x', comment: 'y' } });
    expect(backwards.statusCode).toBe(400);
    const unknown = await app.inject({ method: 'POST', url: '/api/v2/silences', payload: { id: '00000000-0000-0000-0000-000000000000', matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: start, endsAt: end, createdBy: 'x', comment: 'y' } });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v2/silence/nope' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/v2/silence/nope' })).statusCode).toBe(404);
  });
});

describe('the real amtool against Vigil', () => {
  it('adds, queries and expires silences and lists alerts', async () => {
    await amtool('alert', 'add', 'alertname=AmtoolAlert', 'service=billing', '--annotation=summary=from amtool');
    const alerts = JSON.parse(await amtool('alert', 'query', '-o', 'json', 'alertname=AmtoolAlert')) as { labels: Record<string, string>; status: { state: string } }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.labels.service).toBe('billing');
    expect(alerts[0]!.status.state).toBe('active');

    const id = (await amtool('silence', 'add', 'alertname=AmtoolAlert', 'service=~"bill.*"', '--comment=deploy', '--author=ops', '--duration=1h')).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const q = JSON.parse(await amtool('silence', 'query', '-o', 'json', 'alertname=AmtoolAlert')) as { id: string; status: { state: string }; createdBy: string; matchers: unknown[] }[];
    expect(q.map((s) => s.id)).toContain(id);
    const s = q.find((x) => x.id === id)!;
    expect(s.status.state).toBe('active');
    expect(s.createdBy).toBe('ops');
    expect(s.matchers).toEqual(
      expect.arrayContaining([
        { name: 'alertname', value: 'AmtoolAlert', isRegex: false, isEqual: true },
        { name: 'service', value: 'bill.*', isRegex: true, isEqual: true },
      ]),
    );
    const silenced = JSON.parse(await amtool('alert', 'query', '-o', 'json', '--silenced', 'alertname=AmtoolAlert')) as { status: { silencedBy: string[] } }[];
    expect(silenced[0]!.status.silencedBy).toEqual([id]);
    const activeOnly = await amtool('alert', 'query', '-o', 'simple', 'alertname=AmtoolAlert');
    expect(activeOnly).not.toContain('AmtoolAlert');

    await amtool('silence', 'expire', id);
    const after = JSON.parse(await amtool('silence', 'query', '-o', 'json', '--expired', 'alertname=AmtoolAlert')) as { id: string; status: { state: string } }[];
    expect(after.find((x) => x.id === id)!.status.state).toBe('expired');
    expect(await amtool('alert', 'query', '-o', 'simple', 'alertname=AmtoolAlert')).toContain('AmtoolAlert');
    const cfg = await amtool('config', 'show');
    expect(cfg).toContain('receiver: team');
    expect(cfg).not.toContain('hunter2-secret');
  });
});
