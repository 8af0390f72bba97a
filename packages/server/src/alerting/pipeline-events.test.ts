import { describe, expect, it } from 'vitest';
import type { Integration, NotificationData } from '../notify/contract.js';
import { createManualClock } from './clock.js';
import { parseAlertmanagerConfig } from './config/parse.js';
import { AlertValidationError } from './errors.js';
import { createAlertingPipeline, type AlertingEvent } from './pipeline.js';

const yaml = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
receivers:
  - name: team
  - name: boss
`;

function recorder(name: string, fail = false): Integration & { sent: NotificationData[] } {
  const i = {
    name,
    index: 0,
    sendResolved: true,
    sent: [] as NotificationData[],
    async notify(d: NotificationData) {
      if (fail) throw Object.assign(new Error('permanent failure'), { retryable: false, reason: 'clientError' });
      i.sent.push(d);
    },
  };
  return i;
}

describe('alerting pipeline events', () => {
  it('reports group flushes with alert status and notification outcomes to subscribers; a throwing listener changes nothing', async () => {
    const clock = createManualClock();
    const team = recorder('webhook');
    const pipeline = await createAlertingPipeline({
      config: parseAlertmanagerConfig(yaml, 'am.yml'),
      clock,
      integrationsFactory: (r) => (r.name === 'team' ? [team] : []),
    });
    const events: AlertingEvent[] = [];
    pipeline.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = pipeline.subscribe((e) => events.push(e));
    const iso = (ms: number) => new Date(ms).toISOString();
    await pipeline.receive([{ labels: { alertname: 'Down', severity: 'critical' }, startsAt: iso(clock.now()) }]);
    await clock.advance(29_000);
    expect(events).toEqual([]);
    await clock.advance(1_000);
    await pipeline.idle();
    const group = events.find((e) => e.type === 'group');
    expect(group).toMatchObject({ type: 'group', receiver: 'team', groupLabels: { alertname: 'Down' }, alerts: [{ status: 'firing', labels: { alertname: 'Down', severity: 'critical' } }] });
    expect(group?.groupKey).toContain('alertname="Down"');
    expect(events.find((e) => e.type === 'notification')).toMatchObject({ type: 'notification', receiver: 'team', integration: 'webhook', outcome: 'success', firing: 1, resolved: 0 });
    expect(team.sent).toHaveLength(1);

    // Resolved: the next flush reports the alert as resolved.
    await pipeline.receive([{ labels: { alertname: 'Down', severity: 'critical' }, startsAt: iso(clock.now() - 30_000), endsAt: iso(clock.now()) }]);
    await clock.advance(300_000);
    await pipeline.idle();
    const last = events.filter((e) => e.type === 'group').at(-1);
    expect(last).toMatchObject({ alerts: [{ status: 'resolved' }] });
    off();
    const n = events.length;
    await pipeline.receive([{ labels: { alertname: 'Other' }, startsAt: iso(clock.now()) }]);
    await clock.advance(60_000);
    expect(events.length).toBe(n);
    await pipeline.stop();
  });

  it('notifyReceiver sends to a named receiver outside routing and reports each outcome; unknown receivers are rejected', async () => {
    const clock = createManualClock();
    const boss = recorder('webhook');
    const broken = recorder('slack', true);
    const pipeline = await createAlertingPipeline({
      config: parseAlertmanagerConfig(yaml, 'am.yml'),
      clock,
      integrationsFactory: (r) => (r.name === 'boss' ? [boss, broken] : []),
    });
    const results = await pipeline.notifyReceiver('boss', {
      groupKey: 'incident:1',
      groupLabels: { incident_id: '1' },
      alerts: [{ status: 'firing', labels: { alertname: 'X' }, annotations: { summary: 's' }, startsAt: new Date(clock.now()).toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'f' }],
      commonAnnotations: { acknowledge_url: 'http://v/ui/#/incidents/1?action=acknowledge' },
    });
    expect(results).toEqual([
      { receiver: 'boss', integration: 'webhook', outcome: 'success' },
      expect.objectContaining({ receiver: 'boss', integration: 'slack', outcome: 'failure' }),
    ]);
    expect(boss.sent[0]).toMatchObject({ receiver: 'boss', groupKey: 'incident:1', commonAnnotations: { summary: 's', acknowledge_url: 'http://v/ui/#/incidents/1?action=acknowledge' } });
    await expect(pipeline.notifyReceiver('nobody', { groupKey: 'k', groupLabels: {}, alerts: [] })).rejects.toBeInstanceOf(AlertValidationError);
    await pipeline.stop();
  });
});
