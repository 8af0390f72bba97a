import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import { createManualClock } from '../src/alerting/clock.js';
import { createPostgresStateStore } from '../src/state/postgres-store.js';
import { createSqliteStateStore } from '../src/state/sqlite-store.js';
import type { StateStore } from '../src/state/types.js';
import { hookServer, startHarness } from './incidents-support/harness.js';

const S = 1000;
const M = 60 * S;
const schema = `vigil_incidents_test_${process.pid}_${Date.now()}`;
let hooks: Awaited<ReturnType<typeof hookServer>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-incidents-persist-'));

beforeAll(async () => {
  hooks = await hookServer();
});
afterAll(async () => {
  await hooks.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (!(await requireService(postgresUrl()))) return;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.query(`DROP SCHEMA IF EXISTS "${schema}_r" CASCADE`);
  await c.end();
});

/**
 * The same scenario on each dialect: a critical alert opens an incident with a playbook and an
 * escalation chain; the process "restarts" (new pipeline and service on the same store) before the
 * first escalation; the escalation fires on time from the stored deadline, then a step is checked,
 * the incident acknowledged, its alert resolved and it auto-resolves after the grace period; after
 * another restart everything — timeline, playbook state, alerts, public updates, MTTA/MTTR — is there.
 */
async function scenario(open: () => Promise<StateStore>): Promise<void> {
  hooks.bodies.clear();
  const clock = createManualClock();
  const config = {
    escalation: { after_ms: 10 * M, chain: ['lead', 'boss'] },
    resolve_grace_ms: 2 * M,
    playbooks: [{ name: 'service_down', trigger: 'ServiceDown alert', steps: [{ title: 'Check pod status' }, { title: 'Restart pods if necessary' }] }],
  };
  const labels = { alertname: 'ServiceDown', severity: 'critical', service: 'api' };

  let store = await open();
  let h = await startHarness(store, hooks.url, config, clock);
  await h.fire(labels);
  await h.advance(30 * S);
  const id = (await h.incidents.list())[0]!.id;
  await h.incidents.addPublicUpdate(id, { status: 'investigating', text: 'API errors' }, 'alice');
  await h.advance(5 * M);
  await h.stop();
  await store.close();

  // Restart: new process state on the same store and timeline; the pending escalation is re-armed.
  store = await open();
  h = await startHarness(store, hooks.url, config, clock);
  await h.fire(labels); // Prometheus re-sends active alerts
  await h.advance(4 * M);
  expect(hooks.bodies.get('/lead')).toBeUndefined();
  await h.advance(70 * S); // opened at 0:30, escalation due at 10:30
  expect(hooks.bodies.get('/lead')).toHaveLength(1);
  let inc = await h.incidents.get(id);
  expect(inc.escalation).toMatchObject({ level: 1, chain: ['lead', 'boss'] });
  await h.incidents.completeStep(id, 1, 'bob');
  await h.incidents.acknowledge(id, 'bob');
  await h.resolve(labels);
  await h.advance(4 * M);
  expect(hooks.bodies.get('/boss')).toBeUndefined();
  inc = await h.incidents.get(id);
  expect(inc.status).toBe('resolved');
  await h.stop();
  await store.close();

  store = await open();
  h = await startHarness(store, hooks.url, config, clock);
  inc = await h.incidents.get(id);
  expect(inc).toMatchObject({ status: 'resolved', severity: 'critical', service: 'api', alert_count: 1, public: true, public_updates: [{ status: 'investigating', text: 'API errors' }] });
  expect(inc.alerts[0]).toMatchObject({ status: 'resolved', labels });
  expect(await h.incidents.publicIncidents()).toEqual([
    { id, title: inc.title, severity: 'critical', status: 'resolved', service: 'api', opened_at: inc.opened_at, resolved_at: inc.resolved_at, updates: [{ at: expect.any(String), status: 'investigating', text: 'API errors' }] },
  ]);
  expect(inc.playbook!.steps.map((s) => s.done_by ?? null)).toEqual(['bob', null]);
  const kinds = inc.timeline.map((t) => t.kind);
  for (const k of ['opened', 'alert_firing', 'playbook_step', 'public_update', 'escalated', 'acknowledged', 'alert_resolved', 'resolved'] as const) expect(kinds).toContain(k);
  expect(inc.timeline.find((t) => t.kind === 'acknowledged')!.actor).toBe('bob');
  expect(inc.timeline.filter((t) => t.kind === 'escalated')).toHaveLength(1);
  // Timestamps in order, entries never lost or duplicated across the restarts.
  const at = inc.timeline.map((t) => Date.parse(t.at));
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  const stats = await h.incidents.stats(0, clock.now());
  expect(stats).toHaveLength(1);
  expect(stats[0]).toMatchObject({ service: 'api', severity: 'critical', count: 1, mtta_seconds: (Date.parse(inc.acknowledged_at!) - Date.parse(inc.opened_at)) / 1000, mttr_seconds: (Date.parse(inc.resolved_at!) - Date.parse(inc.opened_at)) / 1000 });
  await h.stop();
  await store.close();
}

/** Two replicas (own pipeline and incident service each) on one store: one incident, one page per escalation level. */
async function replicas(open: () => Promise<StateStore>): Promise<void> {
  hooks.bodies.clear();
  const clock = createManualClock();
  const config = { escalation: { after_ms: 10 * M, chain: ['lead', 'boss'] } };
  const store = await open();
  const a = await startHarness(store, hooks.url, config, clock);
  const b = await startHarness(store, hooks.url, config, clock);
  const labels = { alertname: 'ReplicaDown', severity: 'critical', service: 'api' };
  await a.fire(labels);
  await b.fire(labels);
  await a.advance(30 * S);
  await b.settle();
  const list = await a.incidents.list();
  expect(list).toHaveLength(1);
  expect((await b.incidents.list()).map((i) => i.id)).toEqual([list[0]!.id]);
  await a.advance(10 * M);
  await b.settle();
  await a.settle();
  expect(hooks.bodies.get('/lead')).toHaveLength(1);
  const inc = await a.incidents.get(list[0]!.id);
  expect(inc.timeline.filter((t) => t.kind === 'escalated')).toHaveLength(1);
  expect(inc.escalation?.level).toBe(1);
  await a.stop();
  await b.stop();
  await store.close();
}

describe('incident persistence', () => {
  it('SQLite file: lifecycle and escalation survive restarts', async () => {
    await scenario(async () => createSqliteStateStore({ path: path.join(dir, 'state.db') }));
  });

  it('PostgreSQL: the same lifecycle and escalation survive restarts', async () => {
    if (!(await requireService(postgresUrl()))) return;
    await scenario(() => createPostgresStateStore({ connectionString: postgresUrl(), schema }));
  });

  it('two replicas on one SQLite store: one incident, each escalation level paged once', async () => {
    await replicas(async () => createSqliteStateStore({ path: path.join(dir, 'replicas.db') }));
  });

  it('two replicas on one PostgreSQL: one incident, each escalation level paged once', async () => {
    if (!(await requireService(postgresUrl()))) return;
    await replicas(() => createPostgresStateStore({ connectionString: postgresUrl(), schema: `${schema}_r` }));
  });
});
