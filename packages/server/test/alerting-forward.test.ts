import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/alerting/clock.js';
import { createAlertingPipeline } from '../src/alerting/pipeline.js';
import { amConfig, settle, waitFor } from './alerting-support/helpers.js';

describe('forwarding mode', () => {
  it('retries a batch while the Alertmanager is down and delivers it once it is up; nothing is notified locally', async () => {
    const received: unknown[][] = [];
    let status = 503;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (status === 200 && req.url === '/api/v2/alerts') received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]);
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clock = createManualClock();
    const notified: unknown[] = [];
    const pipeline = await createAlertingPipeline({
      config: await amConfig('route:\n  receiver: r\n  group_wait: 0s\nreceivers:\n  - name: r\n'),
      clock,
      integrationsFactory: () => [{ name: 'webhook', index: 0, sendResolved: true, notify: async (d) => void notified.push(d) }],
      forward: { urls: [url] },
    });
    try {
      const endsAt = clock.now() + 3_600_000;
      await pipeline.receive([{ labels: { alertname: 'Fwd', team: 'a' }, annotations: { summary: 's' }, endsAt: new Date(endsAt).toISOString() }]);
      for (let i = 0; i < 10; i++) {
        await settle(10);
        await clock.advance(2_000);
      }
      expect(received).toHaveLength(0);
      status = 200;
      for (let i = 0; i < 40 && received.length === 0; i++) {
        await settle(10);
        await clock.advance(5_000);
      }
      await waitFor(() => received.length === 1);
      const [alert] = received[0] as { labels: Record<string, string>; annotations: Record<string, string>; endsAt: string }[];
      expect(alert!.labels).toEqual({ alertname: 'Fwd', team: 'a' });
      expect(alert!.annotations).toEqual({ summary: 's' });
      expect(Date.parse(alert!.endsAt)).toBe(endsAt);
      await clock.advance(60_000);
      expect(notified).toHaveLength(0);
      expect(pipeline.alerts()).toHaveLength(1);
    } finally {
      await pipeline.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
