/**
 * The notifiers wired into the alerting pipeline, end to end: alertmanager.yml → config parser with
 * the notifiers' receiver validation → pipeline on a manual clock → webhook delivered to a local
 * HTTP server, including a receiver that answers 503 for 5 minutes, with metrics and secret-free logs.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/alerting/clock.js';
import { parseAlertmanagerConfig } from '../src/alerting/config/parse.js';
import { createAlertingPipeline } from '../src/alerting/pipeline.js';
import { createNotifierWiring, ReceiverConfigError } from '../src/notify/index.js';
import { startCaptureServer, type CaptureServer } from './notify-support.js';

let srv: CaptureServer;
beforeAll(async () => {
  srv = await startCaptureServer();
});
afterAll(() => srv.close());

const S = 1000;
const M = 60 * S;

describe('notifier wiring', () => {
  it('validates receivers in the config parser', () => {
    const wiring = createNotifierWiring({ externalURL: 'http://vigil.local' });
    const yaml = 'route: { receiver: r }\nreceivers:\n  - name: r\n    webhook_configs:\n      - url_typo: http://x/\n';
    expect(() => parseAlertmanagerConfig(yaml, 'am.yml', { validateReceiver: wiring.validateReceiver })).toThrow(ReceiverConfigError);
  });

  it('delivers a grouped alert to a webhook that was failing for 5 minutes, once, with metrics and logs', async () => {
    const registry = new Registry();
    const clock = createManualClock();
    const logs: Record<string, unknown>[] = [];
    const logger = { info: () => {}, error: () => {}, warn: (o: object) => void logs.push(o as Record<string, unknown>) };
    const wiring = createNotifierWiring({ externalURL: 'http://vigil.local:9093', registry, clock, logger });
    const yaml = `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 10m
receivers:
  - name: team
    webhook_configs:
      - url: '${srv.url}/hook?token=T0K3N'
`;
    const config = parseAlertmanagerConfig(yaml, 'am.yml', { validateReceiver: wiring.validateReceiver });
    const pipeline = await createAlertingPipeline({ config, clock, integrationsFactory: wiring.integrationsFactory, deliver: wiring.deliver, externalURL: 'http://vigil.local:9093' });
    try {
      const upAt = clock.now() + 30 * S + 5 * M;
      srv.responder = () => (clock.now() < upAt ? { status: 503, body: 'maintenance for /hook?token=T0K3N' } : { status: 200 });
      await pipeline.receive([{ labels: { alertname: 'HighErrorRate', instance: 'api-1' }, annotations: { summary: 'x' } }]);
      const ok = () => srv.requests.filter((r) => r.path.startsWith('/hook')).length;
      let metrics = '';
      for (let i = 0; i < 500; i++) {
        await clock.advance(5 * S);
        await new Promise((r) => setTimeout(r, 2));
        metrics = await registry.metrics();
        if (metrics.includes('vigil_notification_latency_seconds_count{integration="webhook"} 1')) break;
      }
      expect(clock.now()).toBeGreaterThanOrEqual(upAt);
      const hooks = srv.requests.filter((r) => r.path.startsWith('/hook'));
      expect(ok()).toBeGreaterThan(3);
      const last = hooks.at(-1)!.json() as { version: string; status: string; groupLabels: Record<string, string>; externalURL: string; alerts: unknown[] };
      expect(last).toMatchObject({ version: '4', status: 'firing', groupLabels: { alertname: 'HighErrorRate' }, externalURL: 'http://vigil.local:9093' });
      expect(last.alerts).toHaveLength(1);
      expect(metrics).toContain('vigil_notifications_total{integration="webhook"} 1');
      expect(metrics).toMatch(/vigil_notification_requests_failed_total\{integration="webhook",reason="serverError"\} \d+/);
      expect(logs.length).toBe(hooks.length - 1);
      expect(logs[0]).toMatchObject({ integration: 'webhook[0]', receiver: 'team', reason: 'serverError', attempt: 1 });
      expect(JSON.stringify(logs)).not.toContain('T0K3N');
      // Nothing more is sent for the same group after delivery (dedup by the notification log).
      const n = hooks.length;
      await clock.advance(5 * M);
      await new Promise((r) => setTimeout(r, 5));
      expect(srv.requests.filter((r) => r.path.startsWith('/hook')).length).toBe(n);
    } finally {
      await pipeline.stop();
    }
  });
});
