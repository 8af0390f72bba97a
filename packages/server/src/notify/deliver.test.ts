import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { alert, fakeClock, sampleData } from '../../test/notify-support.js';
import type { Integration, NotificationData } from './contract.js';
import { backoffDelay, deliverWithRetry, filterForIntegration } from './deliver.js';
import { createNotifyMetrics } from './metrics.js';
import { NotifyError } from './notify-errors.js';

function scripted(outcomes: (NotifyError | 'ok')[], sendResolved = true): Integration & { calls: NotificationData[] } {
  const calls: NotificationData[] = [];
  return {
    name: 'webhook',
    index: 0,
    sendResolved,
    calls,
    async notify(data) {
      calls.push(data);
      const o = outcomes.shift() ?? 'ok';
      if (o !== 'ok') throw o;
    },
  };
}

const e5xx = () => new NotifyError('webhook[0]: unexpected status code 503', { retryable: true, reason: 'serverError', status: 503 });
const e4xx = () => new NotifyError('webhook[0]: unexpected status code 400', { retryable: false, reason: 'clientError', status: 400 });

async function metricValue(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values as { value: number; labels: Record<string, string> }[] | undefined)?.find((x) =>
    Object.entries(labels).every(([k, l]) => x.labels[k] === l),
  );
  return v?.value ?? 0;
}

describe('deliverWithRetry', () => {
  it('retries 5xx with growing jittered backoff, then succeeds, counting attempts and failures by reason', async () => {
    const reg = new Registry();
    const metrics = createNotifyMetrics(reg);
    const clock = fakeClock();
    const i = scripted([e5xx(), e5xx(), e5xx(), 'ok']);
    const res = await deliverWithRetry(i, sampleData(), { clock, metrics, random: () => 0.5 });
    expect(res).toEqual({ attempts: 4, skipped: false });
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(await metricValue(reg, 'vigil_notifications_total', { integration: 'webhook' })).toBe(1);
    expect(await metricValue(reg, 'vigil_notification_requests_total', { integration: 'webhook' })).toBe(4);
    expect(await metricValue(reg, 'vigil_notification_requests_failed_total', { integration: 'webhook', reason: 'serverError' })).toBe(3);
    expect(await metricValue(reg, 'vigil_notifications_failed_total', { integration: 'webhook', reason: 'serverError' })).toBe(0);
  });

  it('honours Retry-After instead of the backoff', async () => {
    const clock = fakeClock();
    const i = scripted([new NotifyError('429', { retryable: true, reason: 'rateLimited', retryAfterMs: 42_000 }), 'ok']);
    await deliverWithRetry(i, sampleData(), { clock, random: () => 0.5 });
    expect(clock.sleeps).toEqual([42_000]);
  });

  it('does not retry a 4xx and counts the notification as failed with its reason', async () => {
    const reg = new Registry();
    const metrics = createNotifyMetrics(reg);
    const clock = fakeClock();
    const i = scripted([e4xx(), 'ok']);
    await expect(deliverWithRetry(i, sampleData(), { clock, metrics })).rejects.toMatchObject({ reason: 'clientError', retryable: false, code: 'VIGIL_ERR_NOTIFY_FAILED' });
    expect(i.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(await metricValue(reg, 'vigil_notifications_failed_total', { integration: 'webhook', reason: 'clientError' })).toBe(1);
  });

  it('keeps retrying through a long outage until the deadline, never sleeping past it', async () => {
    const clock = fakeClock();
    const start = clock.t;
    const i = scripted(Array.from({ length: 1000 }, e5xx));
    await expect(deliverWithRetry(i, sampleData(), { clock, deadline: start + 120_000, random: () => 0.99 })).rejects.toMatchObject({ reason: 'serverError' });
    expect(clock.t).toBe(start + 120_000);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(60_000 * 1.5);
  });

  it('stops after maxAttempts', async () => {
    const i = scripted([e5xx(), e5xx(), e5xx(), 'ok']);
    await expect(deliverWithRetry(i, sampleData(), { clock: fakeClock(), maxAttempts: 2 })).rejects.toBeInstanceOf(NotifyError);
    expect(i.calls).toHaveLength(2);
  });

  it('stops when the caller aborts and reports each attempt through onAttempt', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const i = scripted(Array.from({ length: 10 }, e5xx));
    const p = deliverWithRetry(i, sampleData(), {
      clock: fakeClock(),
      signal: ac.signal,
      onAttempt: (a) => {
        seen.push(a.attempt);
        if (a.attempt === 3) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ reason: 'other' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('skips a resolved-only notification when send_resolved is off', async () => {
    const i = scripted([], false);
    const data = sampleData({ status: 'resolved', alerts: sampleData().alerts.map((a) => ({ ...a, status: 'resolved' as const })) });
    expect(await deliverWithRetry(i, data, { clock: fakeClock() })).toEqual({ attempts: 0, skipped: true });
    expect(i.calls).toHaveLength(0);
  });

  it('treats an unclassified throw as retryable "other" without echoing its message', async () => {
    const clock = fakeClock();
    let n = 0;
    const i: Integration = {
      name: 'custom',
      index: 0,
      sendResolved: true,
      async notify() {
        if (n++ === 0) throw new Error('token=supersecret');
      },
    };
    const errors: string[] = [];
    await deliverWithRetry(i, sampleData(), { clock, onAttempt: (a) => a.error && errors.push(a.error.message) });
    expect(n).toBe(2);
    expect(errors.join()).not.toContain('supersecret');
  });
});

describe('filterForIntegration', () => {
  it('drops resolved alerts and recomputes common labels and annotations', () => {
    const data = sampleData({
      alerts: [
        alert({ labels: { alertname: 'A', instance: 'x' }, annotations: { s: '1' } }),
        alert({ labels: { alertname: 'A', instance: 'y' }, annotations: { s: '2' }, status: 'resolved' }),
      ],
      commonLabels: { alertname: 'A' },
      commonAnnotations: {},
    });
    const f = filterForIntegration(data, false)!;
    expect(f.alerts).toHaveLength(1);
    expect(f.commonLabels).toEqual({ alertname: 'A', instance: 'x' });
    expect(f.commonAnnotations).toEqual({ s: '1' });
    expect(filterForIntegration(data, true)).toBe(data);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay, jitters ±50% and caps', () => {
    expect(backoffDelay(1, 500, 60_000, () => 0)).toBe(250);
    expect(backoffDelay(1, 500, 60_000, () => 0.999999)).toBe(750);
    expect(backoffDelay(4, 500, 60_000, () => 0.5)).toBe(4000);
    expect(backoffDelay(40, 500, 60_000, () => 0.5)).toBe(60_000);
  });
});
