/**
 * Webhook receiver over real HTTP (a local server on port 0 stands in for the endpoint): the exact
 * Alertmanager version-4 payload, max_alerts truncation, http_config auth, url_file, and reliable
 * delivery (5xx then success, 429 Retry-After, 4xx not retried, timeouts, a 5-minute outage).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntegrations, createNotifyMetrics, deliverWithRetry, parseReceiverIntegrations } from '../src/notify/index.js';
import type { Integration } from '../src/notify/index.js';
import { alert, fakeClock, sampleData, startCaptureServer, type CaptureServer } from './notify-support.js';

let srv: CaptureServer;
beforeEach(async () => {
  srv = await startCaptureServer();
});
afterEach(async () => {
  await srv.close();
});

function webhook(extra: Record<string, unknown> = {}, url = `${srv.url}/hook?token=s3cr3t-t0ken`, clock?: { now(): number }): Integration {
  const r = parseReceiverIntegrations({ name: 'team-api', webhook_configs: [{ url, ...extra }] }, {}, { file: 'am.yml' });
  return createIntegrations(r, { externalURL: 'http://vigil.local:9093', ...(clock ? { clock } : {}) })[0]!;
}

describe('webhook payload', () => {
  it('POSTs exactly Alertmanager version-4 JSON', async () => {
    const data = sampleData({ alerts: [sampleData().alerts[0]!, alert({ labels: { alertname: 'HighErrorRate', instance: 'api-3' }, status: 'resolved', endsAt: '2026-01-01T00:05:00Z', fingerprint: 'ffff' })] });
    await webhook().notify(data);
    expect(srv.requests).toHaveLength(1);
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hook?token=s3cr3t-t0ken');
    expect(req.headers['content-type']).toBe('application/json');
    // Key order matters to byte-comparing consumers: same as Alertmanager's.
    expect(req.body).toBe(
      JSON.stringify({
        receiver: 'team-api',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighErrorRate', severity: 'critical', instance: 'api-1', service: 'api' },
            annotations: { summary: 'Error rate above 5%', description: 'api-1 returns 7% 5xx' },
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.local/graph?g0.expr=up',
            fingerprint: 'a1b2c3d4e5f60718',
          },
          {
            status: 'resolved',
            labels: { alertname: 'HighErrorRate', instance: 'api-3' },
            annotations: {},
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '2026-01-01T00:05:00Z',
            generatorURL: 'http://prometheus.local/graph?g0.expr=up',
            fingerprint: 'ffff',
          },
        ],
        groupLabels: { alertname: 'HighErrorRate' },
        commonLabels: { alertname: 'HighErrorRate', severity: 'critical', service: 'api' },
        commonAnnotations: { summary: 'Error rate above 5%' },
        externalURL: 'http://vigil.local:9093',
        version: '4',
        groupKey: '{}:{alertname="HighErrorRate"}',
        truncatedAlerts: 0,
      }),
    );
  });

  it('truncates to max_alerts and counts the rest in truncatedAlerts', async () => {
    const alerts = Array.from({ length: 5 }, (_, i) => alert({ labels: { alertname: 'A', i: String(i) }, fingerprint: `f${i}` }));
    await webhook({ max_alerts: 2 }).notify(sampleData({ alerts, truncatedAlerts: 1 }));
    const body = srv.requests[0]!.json() as { alerts: { labels: { i: string } }[]; truncatedAlerts: number };
    expect(body.alerts.map((a) => a.labels.i)).toEqual(['0', '1']);
    expect(body.truncatedAlerts).toBe(4);
  });

  it('sends http_config credentials and reads url_file at send time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
    writeFileSync(join(dir, 'url'), `${srv.url}/from-file\n`);
    writeFileSync(join(dir, 'cred'), 'file-token\n');
    const r = parseReceiverIntegrations(
      {
        name: 'r',
        webhook_configs: [
          { url: `${srv.url}/a`, http_config: { basic_auth: { username: 'vigil', password: 'pw' } } },
          { url_file: join(dir, 'url'), http_config: { authorization: { credentials_file: join(dir, 'cred') } } },
        ],
      },
      {},
      { file: 'am.yml' },
    );
    const [a, b] = createIntegrations(r, { externalURL: 'http://v' });
    await a!.notify(sampleData());
    await b!.notify(sampleData());
    expect(srv.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('vigil:pw').toString('base64')}`);
    expect(srv.requests[1]!.path).toBe('/from-file');
    expect(srv.requests[1]!.headers.authorization).toBe('Bearer file-token');
  });

  it('fills in the external URL from deps when the notification has none', async () => {
    await webhook().notify(sampleData({ externalURL: '' }));
    expect((srv.requests[0]!.json() as { externalURL: string }).externalURL).toBe('http://vigil.local:9093');
  });
});

describe('webhook delivery with retries (fake clock)', () => {
  it('retries 5xx then succeeds', async () => {
    srv.script({ status: 500 }, { status: 502 });
    const clock = fakeClock();
    const res = await deliverWithRetry(webhook(), sampleData(), { clock, random: () => 0.5 });
    expect(res.attempts).toBe(3);
    expect(srv.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('honours Retry-After on 429 (seconds and HTTP date)', async () => {
    const clock = fakeClock();
    srv.script({ status: 429, headers: { 'retry-after': '7' } }, { status: 429, headers: { 'retry-after': new Date(clock.t + 7_000 + 30_000).toUTCString() } });
    await deliverWithRetry(webhook({}, undefined, clock), sampleData(), { clock, random: () => 0.5 });
    expect(clock.sleeps).toEqual([7_000, 30_000]);
    expect(srv.requests).toHaveLength(3);
  });

  it('does not retry a 4xx, and its error names no secret', async () => {
    const reg = new Registry();
    srv.script({ status: 400, body: 'bad payload for /hook?token=s3cr3t-t0ken' });
    const err = (await deliverWithRetry(webhook(), sampleData(), { clock: fakeClock(), metrics: createNotifyMetrics(reg) }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ reason: 'clientError', retryable: false, status: 400 });
    expect(srv.requests).toHaveLength(1);
    expect(err.message).toContain('unexpected status code 400');
    expect(`${err.message} ${JSON.stringify(err)} ${err.stack}`).not.toContain('s3cr3t-t0ken');
    expect(await reg.metrics()).toContain('vigil_notifications_failed_total{integration="webhook",reason="clientError"} 1');
  });

  it('classifies a hung endpoint as a timeout and retries it', async () => {
    srv.script({ status: 0, hang: true });
    const reasons: string[] = [];
    await deliverWithRetry(webhook(), sampleData(), { clock: fakeClock(), attemptTimeoutMs: 150, onAttempt: (a) => a.reason && reasons.push(a.reason) });
    expect(reasons).toEqual(['timeout']);
    expect(srv.requests).toHaveLength(2);
  });

  it('delivers to a receiver that was down (connection refused) for 5 minutes, once it is back', async () => {
    // Take a free port, then leave nothing listening on it: the receiver is down.
    const down = createServer();
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const port = (down.address() as { port: number }).port;
    await new Promise<void>((r) => down.close(() => r()));

    const received: string[] = [];
    const up = createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c));
      req.on('end', () => {
        received.push(b);
        res.end('ok');
      });
    });
    const clock = fakeClock();
    const start = clock.t;
    const baseSleep = clock.sleep;
    let started = false;
    clock.sleep = async (ms, signal) => {
      await baseSleep(ms, signal);
      if (!started && clock.t - start >= 5 * 60_000) {
        started = true;
        await new Promise<void>((r) => up.listen(port, '127.0.0.1', r));
      }
    };
    const reg = new Registry();
    const reasons = new Set<string>();
    try {
      const res = await deliverWithRetry(webhook({}, `http://127.0.0.1:${port}/hook`), sampleData(), {
        clock,
        metrics: createNotifyMetrics(reg),
        deadline: start + 60 * 60_000,
        onAttempt: (a) => a.reason && reasons.add(a.reason),
      });
      expect(res.attempts).toBeGreaterThan(3);
      expect(received).toHaveLength(1);
      expect((JSON.parse(received[0]!) as { groupKey: string }).groupKey).toBe('{}:{alertname="HighErrorRate"}');
      expect([...reasons]).toEqual(['connection']);
      expect(clock.t - start).toBeGreaterThanOrEqual(5 * 60_000);
      const text = await reg.metrics();
      expect(text).toContain(`vigil_notification_requests_failed_total{integration="webhook",reason="connection"} ${res.attempts - 1}`);
      expect(text).toContain('vigil_notifications_total{integration="webhook"} 1');
    } finally {
      await new Promise<void>((r) => (started ? up.close(() => r()) : r()));
    }
  });
});
