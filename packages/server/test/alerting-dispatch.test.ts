import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/alerting/clock.js';
import { createAlertingPipeline, type AlertingPipeline } from '../src/alerting/pipeline.js';
import { createSqliteStateStore } from '../src/state/index.js';
import { amConfig, recordingIntegration, settle, waitFor, webhookServer } from './alerting-support/helpers.js';

const base = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  routes:
    - receiver: pager
      matchers: [severity="critical"]
      continue: true
    - receiver: team
      matchers: [severity=~"critical|warning"]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: team
    webhook_configs:
      - url: http://127.0.0.1:9/team
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9/pager
`;

const S = 1000;
const M = 60 * S;
const iso = (ms: number) => new Date(ms).toISOString();

async function setup(opts: { yaml?: string; sendResolvedTeam?: boolean; sendResolvedWhenMuted?: boolean; storePath?: string } = {}) {
  const config = await amConfig(opts.yaml ?? base);
  const clock = createManualClock();
  const team = recordingIntegration(opts.sendResolvedTeam ?? true);
  const pager = recordingIntegration(true);
  const store = opts.storePath ? createSqliteStateStore({ path: opts.storePath }) : undefined;
  const pipeline = await createAlertingPipeline({
    config,
    clock,
    ...(store ? { store } : {}),
    integrationsFactory: (r) => (r.name === 'team' ? [team] : [pager]),
    ...(opts.sendResolvedWhenMuted === undefined ? {} : { sendResolvedWhenMuted: opts.sendResolvedWhenMuted }),
  });
  const post = (labels: Record<string, string>, extra: { startsAt?: number; endsAt?: number } = {}) =>
    pipeline.receive([{ labels, annotations: { summary: 'x' }, startsAt: iso(extra.startsAt ?? clock.now()), endsAt: iso(extra.endsAt ?? clock.now() + 10 * M) }]);
  return { config, clock, team, pager, pipeline, post, store };
}

describe('dispatch timing on a fake clock', () => {
  it('waits group_wait, then group_interval; re-notifies only on change or after repeat_interval', async () => {
    const { clock, team, pipeline, post } = await setup();
    await post({ alertname: 'A', instance: '1' });
    await post({ alertname: 'A', instance: '2' });
    await clock.advance(29 * S);
    expect(team.sent).toHaveLength(0);
    await clock.advance(1 * S);
    expect(team.sent).toHaveLength(1);
    expect(team.sent[0]!.alerts.map((a) => a.labels.instance)).toEqual(['1', '2']);
    expect(team.sent[0]!.groupKey).toBe('{}:{alertname="A"}');
    expect(team.sent[0]!.groupLabels).toEqual({ alertname: 'A' });
    expect(team.sent[0]!.commonLabels).toEqual({ alertname: 'A' });
    expect(team.sent[0]!.alerts[0]!.endsAt).toBe('0001-01-01T00:00:00Z');

    // A new alert joins: nothing until the next group_interval tick (t = 30 s + 5 m).
    await clock.advance(1 * M);
    await post({ alertname: 'A', instance: '3' });
    await clock.advance(3 * M + 59 * S);
    expect(team.sent).toHaveLength(1);
    await clock.advance(1 * S);
    expect(team.sent).toHaveLength(2);
    expect(team.sent[1]!.alerts).toHaveLength(3);

    // Unchanged: no notification at the following ticks until repeat_interval (1 h) has passed.
    for (let i = 0; i < 11; i++) {
      await post({ alertname: 'A', instance: '1' });
      await post({ alertname: 'A', instance: '2' });
      await post({ alertname: 'A', instance: '3' });
      await clock.advance(5 * M);
    }
    expect(team.sent).toHaveLength(2);
    await post({ alertname: 'A', instance: '1' });
    await post({ alertname: 'A', instance: '2' });
    await post({ alertname: 'A', instance: '3' });
    await clock.advance(5 * M);
    expect(team.sent).toHaveLength(3);
    await pipeline.stop();
  });

  it('sends resolved notifications with send_resolved, and not without', async () => {
    for (const sendResolved of [true, false]) {
      const { clock, team, pipeline, post } = await setup({ sendResolvedTeam: sendResolved });
      await post({ alertname: 'B' });
      await clock.advance(30 * S);
      expect(team.sent).toHaveLength(1);
      await post({ alertname: 'B' }, { startsAt: clock.now() - 30 * S, endsAt: clock.now() });
      await clock.advance(5 * M);
      if (sendResolved) {
        expect(team.sent).toHaveLength(2);
        expect(team.sent[1]!.status).toBe('resolved');
        expect(team.sent[1]!.alerts[0]!.status).toBe('resolved');
      } else {
        expect(team.sent).toHaveLength(1);
      }
      // The resolved alert left its group; nothing more is sent.
      expect(pipeline.groups()).toHaveLength(0);
      await clock.advance(2 * 60 * M);
      expect(team.sent).toHaveLength(sendResolved ? 2 : 1);
      await pipeline.stop();
    }
  });

  it('resolves an alert posted without endsAt after resolve_timeout', async () => {
    const { clock, team, pipeline } = await setup();
    await pipeline.receive([{ labels: { alertname: 'T' } }]);
    await clock.advance(30 * S);
    expect(team.sent[0]!.status).toBe('firing');
    await clock.advance(5 * M);
    // resolve_timeout defaults to 5m: by the second tick the alert has resolved.
    expect(team.sent.at(-1)!.status).toBe('resolved');
    await pipeline.stop();
  });
});

describe('routing, inhibition, silences', () => {
  it('routes with continue to both receivers and groups per route', async () => {
    const { clock, team, pager, pipeline, post } = await setup();
    await post({ alertname: 'Down', severity: 'critical', service: 'api' });
    await clock.advance(30 * S);
    expect(pager.sent).toHaveLength(1);
    expect(team.sent).toHaveLength(1);
    expect(pager.sent[0]!.groupKey).toBe('{}/{severity="critical"}:{alertname="Down"}');
    expect(team.sent[0]!.groupKey).toBe('{}/{severity=~"critical|warning"}:{alertname="Down"}');
    expect(pipeline.alerts()[0]!.receivers).toEqual(['pager', 'team']);
    await pipeline.stop();
  });

  it('inhibits targets with equal labels while the source fires', async () => {
    const { clock, team, pipeline, post } = await setup();
    await post({ alertname: 'Down', severity: 'critical', service: 'api' });
    await post({ alertname: 'Slow', severity: 'warning', service: 'api' });
    await post({ alertname: 'Slow2', severity: 'warning', service: 'web' });
    await clock.advance(30 * S);
    const names = team.sent.flatMap((d) => d.alerts.map((a) => a.labels.alertname)).sort();
    expect(names).toEqual(['Down', 'Slow2']);
    const slow = pipeline.alerts().find((v) => v.alert.labels.alertname === 'Slow')!;
    expect(slow.state).toBe('suppressed');
    expect(slow.inhibitedBy).toHaveLength(1);
    await pipeline.stop();
  });

  it('silences mute matching alerts; expiring the silence lets them through at the next flush', async () => {
    const { clock, team, pipeline, post } = await setup();
    const id = await pipeline.putSilence({
      matchers: [{ name: 'alertname', value: 'Noisy', isRegex: false, isEqual: true }],
      startsAt: clock.now(),
      endsAt: clock.now() + 60 * M,
      createdBy: 'ops',
      comment: 'maintenance',
    });
    await post({ alertname: 'Noisy' });
    await clock.advance(30 * S);
    expect(team.sent).toHaveLength(0);
    expect(pipeline.alerts()[0]!.silencedBy).toEqual([id]);
    expect(pipeline.getSilence(id)!.state).toBe('active');
    await pipeline.expireSilence(id);
    expect(pipeline.getSilence(id)!.state).toBe('expired');
    await post({ alertname: 'Noisy' });
    await clock.advance(5 * M);
    expect(team.sent).toHaveLength(1);
    await pipeline.stop();
  });

  it('delivers the resolved notification of an alert silenced after it fired (default), not with the flag off', async () => {
    for (const flag of [true, false]) {
      const { clock, team, pipeline, post } = await setup({ sendResolvedWhenMuted: flag });
      await post({ alertname: 'C' });
      await clock.advance(30 * S);
      expect(team.sent).toHaveLength(1);
      await pipeline.putSilence({
        matchers: [{ name: 'alertname', value: 'C', isRegex: false, isEqual: true }],
        startsAt: clock.now(),
        endsAt: clock.now() + 60 * M,
        createdBy: 'ops',
        comment: 'ack',
      });
      await post({ alertname: 'C' }, { startsAt: clock.now() - 30 * S, endsAt: clock.now() });
      await clock.advance(5 * M);
      expect(team.sent.length, `flag ${flag}`).toBe(flag ? 2 : 1);
      if (flag) expect(team.sent[1]!.status).toBe('resolved');
      await pipeline.stop();
    }
  });

  it('does not notify during a mute time interval', async () => {
    const yaml = `
route:
  receiver: team
  routes:
    - receiver: team
      matchers: [alertname="N"]
      mute_time_intervals: [always]
time_intervals:
  - name: always
    time_intervals:
      - years: ['2000:2100']
receivers:
  - name: team
  - name: pager
`;
    const { clock, team, pipeline, post } = await setup({ yaml });
    await post({ alertname: 'N' });
    await post({ alertname: 'Other' });
    await clock.advance(30 * S);
    expect(team.sent.flatMap((d) => d.alerts.map((a) => a.labels.alertname))).toEqual(['Other']);
    await pipeline.stop();
  });
});

describe('durability across restarts', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-dispatch-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('does not notify twice after a restart and keeps silences', async () => {
    const storePath = path.join(tmp, 'a', 'state.db');
    const one = await setup({ storePath });
    await one.post({ alertname: 'R' });
    const sid = await one.pipeline.putSilence({
      matchers: [{ name: 'alertname', value: 'Muted', isRegex: false, isEqual: true }],
      startsAt: one.clock.now(),
      endsAt: one.clock.now() + 60 * M,
      createdBy: 'a',
      comment: 'b',
    });
    await one.clock.advance(30 * S);
    await settle();
    expect(one.team.sent).toHaveLength(1);
    await one.pipeline.stop();
    await one.store!.close();

    const two = await setup({ storePath });
    await two.clock.advance(one.clock.now() - two.clock.now() + 1 * M);
    await settle();
    await two.clock.advance(30 * S);
    await settle();
    expect(two.pipeline.alerts().map((v) => v.alert.labels.alertname)).toEqual(['R']);
    expect(two.pipeline.getSilence(sid)?.state).toBe('active');
    expect(two.team.sent).toHaveLength(0);
    await two.pipeline.stop();
    await two.store!.close();
  });

  it('delivers a notification that was pending when the process stopped, exactly once', async () => {
    const storePath = path.join(tmp, 'b', 'state.db');
    const one = await setup({ storePath });
    one.team.failing = true;
    await one.post({ alertname: 'P' });
    await one.clock.advance(30 * S);
    await settle();
    expect(one.team.attempts).toBeGreaterThan(0);
    expect(one.team.sent).toHaveLength(0);
    await one.pipeline.stop();
    await one.store!.close();

    const two = await setup({ storePath });
    await waitFor(() => two.team.sent.length === 1);
    expect(two.team.sent[0]!.alerts[0]!.labels.alertname).toBe('P');
    // The group flushes again after restart: the nflog says it was delivered, so no duplicate.
    await two.clock.advance(30 * S);
    await settle();
    await two.clock.advance(5 * M);
    await settle();
    expect(two.team.sent).toHaveLength(1);
    await two.pipeline.stop();
    await two.store!.close();
  });
});

describe('a receiver down for 5 minutes', () => {
  it('gets its notification once it is back (real webhook integration, local port)', async () => {
    const hook = await webhookServer();
    const config = await amConfig(`
route:
  receiver: hook
  group_wait: 30s
receivers:
  - name: hook
    webhook_configs:
      - url: '${hook.url}'
`);
    const clock = createManualClock();
    let pipeline: AlertingPipeline | undefined;
    try {
      pipeline = await createAlertingPipeline({ config, clock, externalURL: 'http://vigil.example' });
      hook.status.code = 503;
      await pipeline.receive([{ labels: { alertname: 'Outage' }, endsAt: iso(clock.now() + 60 * M) }]);
      await clock.advance(30 * S);
      for (let t = 0; t < 5 * 60; t += 10) {
        await settle(5);
        await clock.advance(10 * S);
      }
      expect(hook.bodies).toHaveLength(0);
      hook.status.code = 200;
      for (let t = 0; t < 180 && hook.bodies.length === 0; t += 10) {
        await settle(5);
        await clock.advance(10 * S);
      }
      await waitFor(() => hook.bodies.length >= 1);
      await settle(50);
      expect(hook.bodies).toHaveLength(1);
      const body = hook.bodies[0] as { version: string; receiver: string; status: string; groupKey: string; externalURL: string; alerts: { labels: { alertname: string } }[] };
      expect(body.version).toBe('4');
      expect(body.receiver).toBe('hook');
      expect(body.status).toBe('firing');
      expect(body.groupKey).toBe('{}:{}');
      expect(body.externalURL).toBe('http://vigil.example');
      expect(body.alerts[0]!.labels.alertname).toBe('Outage');
    } finally {
      await pipeline?.stop();
      await hook.close();
    }
  });
});

describe('metrics', () => {
  it('exposes alertmanager_* gauges and counters on the given registry', async () => {
    const registry = new Registry();
    const config = await amConfig(base);
    const clock = createManualClock();
    const team = recordingIntegration();
    const pipeline = await createAlertingPipeline({ config, clock, metricsRegistry: registry, integrationsFactory: () => [team] });
    await pipeline.receive([{ labels: { alertname: 'M1' }, endsAt: iso(clock.now() + 60 * M) }, { labels: { alertname: 'M2' }, endsAt: iso(clock.now() + 60 * M) }]);
    await pipeline.putSilence({ matchers: [{ name: 'alertname', value: 'M2', isRegex: false, isEqual: true }], startsAt: clock.now(), endsAt: clock.now() + M, createdBy: 'a', comment: 'b' });
    await expect(pipeline.receive([{ labels: {} }])).rejects.toMatchObject({ code: 'VIGIL_ERR_ALERT_INVALID' });
    await clock.advance(30 * S);
    await settle();
    const text = await registry.metrics();
    expect(text).toContain('alertmanager_alerts{state="active"} 1');
    expect(text).toContain('alertmanager_alerts{state="suppressed"} 1');
    expect(text).toContain('alertmanager_alerts_received_total{status="firing"} 2');
    expect(text).toContain('alertmanager_alerts_invalid_total 1');
    expect(text).toContain('alertmanager_silences{state="active"} 1');
    expect(text).toMatch(/alertmanager_notifications_total\{integration="webhook"\} 1/);
    await pipeline.stop();
  });
});
