import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import { createManualClock } from '../src/alerting/clock.js';
import { createAlertingPipeline } from '../src/alerting/pipeline.js';
import { createPostgresStateStore } from '../src/state/index.js';
import { amConfig, recordingIntegration, settle, waitFor } from './alerting-support/helpers.js';

const schema = `vigil_alerting_test_${process.pid}_${Date.now()}`;
const yaml = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
receivers:
  - name: team
    webhook_configs:
      - url: http://127.0.0.1:9/team
`;

afterAll(async () => {
  if (!(await requireService(postgresUrl()))) return;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

describe('alerting state on PostgreSQL', () => {
  it('survives a restart: silences and nflog persist (no duplicate), a pending notification is delivered once', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const config = await amConfig(yaml);
    const start = async (failing: boolean) => {
      const clock = createManualClock();
      const team = recordingIntegration();
      team.failing = failing;
      const store = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
      const pipeline = await createAlertingPipeline({ config, clock, store, integrationsFactory: () => [team] });
      return { clock, team, store, pipeline };
    };
    const iso = (ms: number) => new Date(ms).toISOString();

    const one = await start(false);
    await one.pipeline.receive([{ labels: { alertname: 'Delivered' }, startsAt: iso(one.clock.now()), endsAt: iso(one.clock.now() + 3_600_000) }]);
    const sid = await one.pipeline.putSilence({
      matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false, isEqual: true }],
      startsAt: one.clock.now(),
      endsAt: one.clock.now() + 3_600_000,
      createdBy: 'ops',
      comment: 'pg',
    });
    await one.clock.advance(30_000);
    await waitFor(() => one.team.sent.length === 1);
    await settle(50);
    one.team.failing = true;
    await one.pipeline.receive([{ labels: { alertname: 'Pending' }, startsAt: iso(one.clock.now()), endsAt: iso(one.clock.now() + 3_600_000) }]);
    await one.clock.advance(30_000);
    await waitFor(() => one.team.attempts >= 2);
    await one.pipeline.stop();
    await one.store.close();

    const two = await start(false);
    await waitFor(() => two.team.sent.length === 1);
    expect(two.team.sent[0]!.alerts.map((a) => a.labels.alertname)).toEqual(['Pending']);
    expect(two.pipeline.getSilence(sid)?.comment).toBe('pg');
    await two.clock.advance(30_000);
    await settle(100);
    await two.clock.advance(300_000);
    await settle(100);
    expect(two.team.sent.map((d) => d.alerts[0]!.labels.alertname)).toEqual(['Pending']);
    await two.pipeline.stop();
    await two.store.close();
  });
});
