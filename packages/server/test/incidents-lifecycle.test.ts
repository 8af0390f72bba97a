import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../src/state/sqlite-store.js';
import { createManualClock } from '../src/alerting/clock.js';
import { parseAlertmanagerConfig } from '../src/alerting/config/parse.js';
import { createAlertingPipeline } from '../src/alerting/pipeline.js';
import { DEFAULT_INCIDENTS_CONFIG } from '../src/incidents/config.js';
import { createIncidentService } from '../src/incidents/service.js';
import { amYaml, hookServer, startHarness, type Harness } from './incidents-support/harness.js';

const S = 1000;
const M = 60 * S;

let hooks: Awaited<ReturnType<typeof hookServer>>;
beforeAll(async () => {
  hooks = await hookServer();
});
afterAll(async () => {
  await hooks.close();
});

const memory = () => createSqliteStateStore({ path: ':memory:' });
const kinds = async (h: Harness, id: string) => (await h.incidents.get(id)).timeline.map((t) => t.kind);

describe('incident lifecycle (pipeline → incident service, manual clock)', () => {
  it('opens on a critical group only; later alerts of the group join; notifications go into the timeline', async () => {
    hooks.bodies.clear();
    const store = memory();
    const h = await startHarness(store, hooks.url);
    await h.fire({ alertname: 'DiskFilling', severity: 'warning', job: 'api' });
    await h.fire({ alertname: 'ApiDown', severity: 'critical', service: 'checkout', instance: 'a:1' }, { summary: 'checkout is down', runbook_url: 'https://runbooks/api-down' });
    await h.advance(30 * S);
    const list = await h.incidents.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ title: 'ApiDown on checkout', severity: 'critical', status: 'open', service: 'checkout', alert_count: 1, public: false });

    await h.fire({ alertname: 'ApiDown', severity: 'critical', service: 'checkout', instance: 'b:1' });
    await h.advance(60 * S);
    const inc = await h.incidents.get(list[0]!.id);
    expect(inc.alert_count).toBe(2);
    expect(inc.summary).toBe('checkout is down');
    expect(inc.links).toEqual({ runbook_url: 'https://runbooks/api-down' });
    expect(inc.alerts.map((a) => a.labels.instance).sort()).toEqual(['a:1', 'b:1']);
    const t = inc.timeline.map((e) => e.kind);
    expect(t.slice(0, 2)).toEqual(['opened', 'alert_firing']);
    expect(t.filter((k) => k === 'alert_firing')).toHaveLength(2);
    const notes = inc.timeline.filter((e) => e.kind === 'notification');
    expect(notes.length).toBeGreaterThanOrEqual(2);
    expect(notes[0]).toMatchObject({ actor: 'vigil', data: { receiver: 'team', integration: 'webhook', outcome: 'success', firing: 1 } });
    // The warning group got its notification but no incident.
    expect((await h.incidents.list()).length).toBe(1);
    // Routed notifications carry the incident's links from the very first one; others carry none.
    const team = hooks.bodies.get('/team') as { groupLabels: Record<string, string>; commonAnnotations: Record<string, string> }[];
    const apiPages = team.filter((b) => b.groupLabels.alertname === 'ApiDown');
    expect(apiPages.length).toBeGreaterThanOrEqual(2);
    for (const p of apiPages) {
      expect(p.commonAnnotations.acknowledge_url).toBe(`http://vigil.test/ui/#/incidents/${inc.id}?action=acknowledge`);
      expect(p.commonAnnotations.resolve_url).toBe(`http://vigil.test/ui/#/incidents/${inc.id}?action=resolve`);
      expect(p.commonAnnotations.incident_url).toBe(`http://vigil.test/ui/#/incidents/${inc.id}`);
    }
    const diskPage = team.find((b) => b.groupLabels.alertname === 'DiskFilling');
    expect(diskPage).toBeDefined();
    expect(diskPage!.commonAnnotations.acknowledge_url).toBeUndefined();
    // A silenced critical alert opens nothing.
    await h.pipeline.putSilence({ matchers: [{ name: 'alertname', value: 'Maintenance', isRegex: false, isEqual: true }], startsAt: h.clock.now(), endsAt: h.clock.now() + 3_600_000, createdBy: 'ops', comment: 'planned' });
    await h.fire({ alertname: 'Maintenance', severity: 'critical', service: 'db' });
    await h.advance(60 * S);
    expect((await h.incidents.list()).map((i) => i.title)).toEqual(['ApiDown on checkout']);
    await h.stop();
    await store.close();
  });

  it('escalates along the chain every `after` until acknowledged, with acknowledge/resolve links; acknowledging stops it', async () => {
    hooks.bodies.clear();
    const store = memory();
    const h = await startHarness(store, hooks.url, { escalation: { after_ms: 15 * M, chain: ['lead', 'boss'] } });
    await h.fire({ alertname: 'DbDown', severity: 'critical', service: 'db' });
    await h.advance(30 * S);
    const [inc] = await h.incidents.list();
    expect((await h.incidents.get(inc!.id)).escalation).toMatchObject({ level: 0, chain: ['lead', 'boss'], next_at: new Date(h.clock.now() + 15 * M).toISOString() });

    await h.advance(14 * M);
    expect(hooks.bodies.get('/lead')).toBeUndefined();
    await h.advance(1 * M);
    const lead = hooks.bodies.get('/lead') as { commonAnnotations: Record<string, string>; alerts: { labels: Record<string, string> }[] }[];
    expect(lead).toHaveLength(1);
    expect(lead[0]!.commonAnnotations.acknowledge_url).toBe(`http://vigil.test/ui/#/incidents/${inc!.id}?action=acknowledge`);
    expect(lead[0]!.commonAnnotations.resolve_url).toBe(`http://vigil.test/ui/#/incidents/${inc!.id}?action=resolve`);
    expect(lead[0]!.alerts[0]!.labels.alertname).toBe('DbDown');
    expect(hooks.bodies.get('/boss')).toBeUndefined();
    let full = await h.incidents.get(inc!.id);
    expect(full.escalation?.level).toBe(1);
    expect(full.timeline.filter((e) => e.kind === 'escalated').map((e) => e.data?.receiver)).toEqual(['lead']);
    expect(full.timeline.some((e) => e.kind === 'notification' && e.data?.receiver === 'lead' && e.data?.outcome === 'success')).toBe(true);

    await h.advance(15 * M);
    expect(hooks.bodies.get('/boss')).toHaveLength(1);
    full = await h.incidents.get(inc!.id);
    expect(full.escalation).toMatchObject({ level: 2 });
    expect(full.escalation?.next_at).toBeUndefined();
    await h.advance(60 * M);
    expect(hooks.bodies.get('/lead')).toHaveLength(1);
    expect(hooks.bodies.get('/boss')).toHaveLength(1);

    // A second incident acknowledged before `after`: nobody is paged.
    hooks.bodies.clear();
    await h.fire({ alertname: 'QueueStuck', severity: 'critical', service: 'jobs' });
    await h.advance(30 * S);
    const q = (await h.incidents.list({ service: 'jobs' }))[0]!;
    await h.advance(5 * M);
    const acked = await h.incidents.acknowledge(q.id, 'alice');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged_at: new Date(h.clock.now()).toISOString() });
    expect(acked.timeline.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'alice' });
    expect(acked.escalation?.next_at).toBeUndefined();
    await h.advance(60 * M);
    expect(hooks.bodies.get('/lead')).toBeUndefined();
    expect(hooks.bodies.get('/boss')).toBeUndefined();
    expect(await kinds(h, q.id)).not.toContain('escalated');
    await h.stop();
    await store.close();
  });

  it('records escalation failures (receiver refusing, unknown receiver) in the timeline and moves on', async () => {
    hooks.bodies.clear();
    hooks.status['/lead'] = 400;
    const store = memory();
    try {
      const h = await startHarness(store, hooks.url, { escalation: { after_ms: 5 * M, chain: ['lead', 'ghost', 'boss'] } });
      await h.fire({ alertname: 'Broken', severity: 'critical' });
      await h.advance(30 * S);
      const id = (await h.incidents.list())[0]!.id;
      await h.advance(15 * M);
      const notes = (await h.incidents.get(id)).timeline.filter((e) => e.kind === 'notification' && e.data?.escalation === true);
      expect(notes.map((n) => [n.data?.receiver, n.data?.outcome])).toEqual([
        ['lead', 'failure'],
        ['ghost', 'failure'],
        ['boss', 'success'],
      ]);
      expect(notes[1]!.text).toContain('unknown receiver ghost');
      expect(hooks.bodies.get('/boss')).toHaveLength(1);
      await h.stop();
    } finally {
      delete hooks.status['/lead'];
      await store.close();
    }
  });

  it('warns when an escalation chain names a receiver the alerting config lacks', async () => {
    const store = memory();
    const lines: string[] = [];
    const clock = createManualClock();
    const pipeline = await createAlertingPipeline({ config: parseAlertmanagerConfig(amYaml(hooks.url), 'am.yml'), clock });
    const svc = await createIncidentService({ store, clock, pipeline, log: (l) => lines.push(l), config: { ...DEFAULT_INCIDENTS_CONFIG, escalation: { after_ms: M, chain: ['lead', 'ghost'] } } });
    expect(lines).toEqual(['incidents: escalation chain names receivers missing from the alerting config: ghost']);
    await svc.stop();
    await pipeline.stop();
    await store.close();
  });

  it('auto-resolves when all alerts have been resolved for the grace period, not before; reopens within the window, a new incident after it', async () => {
    const store = memory();
    const h = await startHarness(store, hooks.url, { resolve_grace_ms: 5 * M, reopen_window_ms: 30 * M });
    const labels = { alertname: 'Flappy', severity: 'critical', service: 'web' };
    await h.fire(labels);
    await h.advance(30 * S);
    const id = (await h.incidents.list())[0]!.id;
    await h.advance(2 * M);
    await h.resolve(labels);
    const resolvedAt = h.clock.now();
    // The group flushes within group_interval (1m): the alert is seen resolved, the grace period runs from its end.
    await h.advance(4 * M + 50 * S);
    let inc = await h.incidents.get(id);
    expect(inc.status).toBe('open');
    expect(inc.alerts[0]!.status).toBe('resolved');
    await h.advance(20 * S);
    inc = await h.incidents.get(id);
    expect(inc.status).toBe('resolved');
    expect(Date.parse(inc.resolved_at!)).toBeGreaterThanOrEqual(resolvedAt + 5 * M);
    expect(Date.parse(inc.resolved_at!)).toBeLessThanOrEqual(resolvedAt + 5 * M + 10 * S);
    expect(inc.timeline.at(-1)).toMatchObject({ kind: 'resolved', actor: 'vigil' });

    // Fires again 10 minutes later: within the 30m window, the same incident reopens.
    await h.advance(10 * M);
    await h.fire(labels);
    await h.advance(40 * S);
    let list = await h.incidents.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, status: 'open' });
    expect(list[0]!.resolved_at).toBeUndefined();
    expect(await kinds(h, id)).toContain('reopened');
    const flappy = (hooks.bodies.get('/team') as { groupLabels: Record<string, string>; status: string; commonAnnotations: Record<string, string> }[]).filter((b) => b.groupLabels.alertname === 'Flappy');
    expect(flappy.at(-1)).toMatchObject({ status: 'firing', commonAnnotations: { incident_url: `http://vigil.test/ui/#/incidents/${id}` } });

    // Resolve again, wait past the window: a new incident.
    await h.resolve(labels);
    await h.advance(7 * M);
    expect((await h.incidents.get(id)).status).toBe('resolved');
    await h.advance(31 * M);
    await h.fire(labels);
    await h.advance(40 * S);
    list = await h.incidents.list();
    expect(list).toHaveLength(2);
    expect(list[0]!.id).not.toBe(id);
    expect(list[0]!.status).toBe('open');

    // Resolved by hand while its alert still fires: the next flushes do not reopen it.
    const fresh = list[0]!.id;
    await h.incidents.resolve(fresh, 'bob');
    await h.advance(5 * M);
    expect((await h.incidents.get(fresh)).status).toBe('resolved');
    expect((await h.incidents.list()).length).toBe(2);
    await h.stop();
    await store.close();
  });

  it('attaches the matching guide-000 playbook; steps checked off go into the timeline with the actor', async () => {
    const store = memory();
    const h = await startHarness(store, hooks.url, {
      playbooks: [
        { name: 'high_error_rate', trigger: 'HighErrorRate alert', steps: [{ title: 'Check application logs for error patterns' }, { title: 'Review recent deployments' }] },
        { name: 'database_connection_issues', trigger: 'DatabaseConnectionHigh/Critical alert', steps: [{ title: 'Check database server status', action: 'psql -c "select 1"' }, { title: 'Review connection pool settings' }] },
      ],
    });
    await h.fire({ alertname: 'DatabaseConnectionCritical', severity: 'critical', service: 'db' }, { dashboard_url: 'https://grafana/d/db' });
    await h.advance(30 * S);
    const id = (await h.incidents.list())[0]!.id;
    let inc = await h.incidents.get(id);
    expect(inc.playbook).toEqual({
      name: 'database_connection_issues',
      steps: [
        { index: 1, title: 'Check database server status', action: 'psql -c "select 1"' },
        { index: 2, title: 'Review connection pool settings' },
      ],
    });
    expect(inc.links).toEqual({ dashboard_url: 'https://grafana/d/db' });
    await h.advance(M);
    inc = await h.incidents.completeStep(id, 2, 'carol');
    expect(inc.playbook!.steps[1]).toMatchObject({ index: 2, done_by: 'carol', done_at: new Date(h.clock.now()).toISOString() });
    expect(inc.playbook!.steps[0]!.done_by).toBeUndefined();
    expect(inc.timeline.at(-1)).toMatchObject({ kind: 'playbook_step', actor: 'carol', text: 'step 2 done: Review connection pool settings' });
    await expect(h.incidents.completeStep(id, 3, 'carol')).rejects.toMatchObject({ code: 'VIGIL_ERR_INCIDENT_INVALID' });
    await h.stop();
    await store.close();
  });

  it('runs automations on open: webhook status and body, command exit code and output, a hanging command killed at its timeout; secrets redacted', async () => {
    hooks.bodies.clear();
    const store = memory();
    const h = await startHarness(store, hooks.url, {
      automations: [
        { name: 'notify-runner', when: ['severity="critical"'], webhook: { url: `${hooks.url}/automation?token=s3cr3t-value`, headers: { 'x-echo': 'k3y-abcdef' } }, timeout_ms: 5000 },
        { name: 'diagnose', when: ['service="api"'], command: [process.execPath, '-e', 'console.log("diag for " + process.env.VIGIL_INCIDENT_SERVICE + " token=abcdef123"); console.error("warn"); process.exit(3)'], timeout_ms: 10_000 },
        { name: 'hang', when: [], command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], timeout_ms: 300 },
        { name: 'other-service', when: ['service="nope"'], command: [process.execPath, '-e', ''], timeout_ms: 1000 },
      ],
    });
    await h.fire({ alertname: 'ApiDown', severity: 'critical', service: 'api' });
    await h.advance(30 * S);
    const id = (await h.incidents.list())[0]!.id;
    const autos = (await h.incidents.get(id)).timeline.filter((e) => e.kind === 'automation');
    const by = Object.fromEntries(autos.map((a) => [a.data!.name as string, a]));
    expect(Object.keys(by).sort()).toEqual(['diagnose', 'hang', 'notify-runner']);
    expect(by['notify-runner']!.data).toMatchObject({ kind: 'webhook', ok: true, status_code: 200, url: `${hooks.url}/automation` });
    expect(by['notify-runner']!.data!.body).toBe('ok from /automation?token=<redacted> password=<redacted> echo <redacted>');
    expect(JSON.stringify(autos)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(autos)).not.toContain('k3y-abcdef');
    const posted = hooks.bodies.get('/automation?token=s3cr3t-value') as { incident: { id: string; severity: string } }[];
    expect(posted[0]!.incident).toMatchObject({ id, severity: 'critical' });
    expect(by.diagnose!.data).toMatchObject({ kind: 'command', ok: false, exit_code: 3, timed_out: false, stdout: 'diag for api token=<redacted>\n', stderr: 'warn\n' });
    expect(by.hang!.data).toMatchObject({ kind: 'command', ok: false, timed_out: true });
    expect(by.hang!.text).toContain('killed after its 300 ms timeout');
    await h.stop();
    await store.close();
  });

  it('MTTA and MTTR per service and severity from known timestamps', async () => {
    const store = memory();
    const h = await startHarness(store, hooks.url);
    const t0 = h.clock.now();
    const a = await h.incidents.open({ title: 'Checkout slow', severity: 'high', service: 'checkout' }, 'alice');
    await h.clock.advance(60 * S);
    await h.incidents.acknowledge(a.id, 'alice');
    await h.clock.advance(240 * S);
    await h.incidents.resolve(a.id, 'alice'); // ack 60 s, resolve 300 s
    const b = await h.incidents.open({ title: 'Checkout errors', severity: 'high', service: 'checkout' }, 'bob');
    await h.clock.advance(180 * S);
    await h.incidents.acknowledge(b.id, 'bob');
    await h.clock.advance(420 * S);
    await h.incidents.resolve(b.id, 'bob'); // ack 180 s, resolve 600 s
    const c = await h.incidents.open({ title: 'Search down', severity: 'critical', service: 'search' }, 'bob');
    await h.clock.advance(30 * S);
    await h.incidents.resolve(c.id, 'bob'); // never acknowledged, resolve 30 s
    await h.incidents.open({ title: 'Search again', severity: 'critical', service: 'search' }, 'bob'); // open
    const stats = await h.incidents.stats(t0, h.clock.now());
    expect(stats).toEqual([
      { service: 'checkout', severity: 'high', count: 2, mtta_seconds: 120, mttr_seconds: 450 },
      { service: 'search', severity: 'critical', count: 2, mtta_seconds: null, mttr_seconds: 30 },
    ]);
    // The period filters by opening time.
    expect(await h.incidents.stats(t0 + 1000, h.clock.now())).toEqual([
      { service: 'checkout', severity: 'high', count: 1, mtta_seconds: 180, mttr_seconds: 600 },
      { service: 'search', severity: 'critical', count: 2, mtta_seconds: null, mttr_seconds: 30 },
    ]);
    await h.stop();
    await store.close();
  });

  it('publishes changes to subscribers and public incidents without internal detail', async () => {
    const store = memory();
    const h = await startHarness(store, hooks.url);
    const seen: string[] = [];
    const off = h.incidents.subscribe((e) => seen.push(`${e.incident.status}:${e.incident.title}`));
    const inc = await h.incidents.open({ title: 'Payments degraded', severity: 'high', service: 'payments', summary: 'internal: pg-primary-3 saturated' }, 'alice');
    await h.incidents.open({ title: 'Internal only', severity: 'warning' }, 'alice');
    expect(await h.incidents.publicIncidents()).toEqual([]);
    await h.incidents.addPublicUpdate(inc.id, { status: 'investigating', text: 'Some payments fail; we are on it.' }, 'alice');
    await h.incidents.acknowledge(inc.id, 'alice');
    const pub = await h.incidents.publicIncidents();
    expect(pub).toEqual([
      { id: inc.id, title: 'Payments degraded', severity: 'high', status: 'acknowledged', service: 'payments', opened_at: inc.opened_at, updates: [{ at: expect.any(String), status: 'investigating', text: 'Some payments fail; we are on it.' }] },
    ]);
    expect(JSON.stringify(pub)).not.toContain('pg-primary');
    expect(seen).toEqual(['open:Payments degraded', 'open:Internal only', 'open:Payments degraded', 'acknowledged:Payments degraded']);
    off();
    await h.stop();
    await store.close();
  });
});
