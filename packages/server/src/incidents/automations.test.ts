import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AUTOMATION_OUTPUT_LIMIT, runAutomation, type AutomationContext } from './automations.js';

const ctx: AutomationContext = { incident: { id: 'i-1', title: 'T', severity: 'critical', service: 'api', url: 'http://v/ui/#/incidents/i-1' }, payload: { hello: 'world' } };

describe('incidents: automations', () => {
  it('a webhook that never answers times out; the result says so', async () => {
    const server = http.createServer(() => undefined); // never responds
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await runAutomation({ name: 'hang', when: [], webhook: { url: `http://127.0.0.1:${port}/x`, headers: {} }, timeout_ms: 200 }, ctx);
      expect(r).toMatchObject({ kind: 'webhook', ok: false, data: { url: `http://127.0.0.1:${port}/x`, error: 'timed out after 200 ms' } });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a webhook error status is not ok; a large body is cut to the limit', async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 503;
      res.end('x'.repeat(50_000));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await runAutomation({ name: 'busy', when: [], webhook: { url: `http://127.0.0.1:${port}/`, headers: {} }, timeout_ms: 5000 }, ctx);
      expect(r).toMatchObject({ ok: false, data: { status_code: 503 } });
      const body = r.data.body as string;
      expect(body.startsWith('x'.repeat(AUTOMATION_OUTPUT_LIMIT))).toBe(true);
      expect(body.length).toBeLessThan(AUTOMATION_OUTPUT_LIMIT + 100);
      expect(body).toMatch(/more characters\)$/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a command that cannot start, and one that succeeds with the incident in its environment', async () => {
    const missing = await runAutomation({ name: 'nope', when: [], command: ['/nonexistent/vigil-tool'], timeout_ms: 2000 }, ctx);
    expect(missing).toMatchObject({ kind: 'command', ok: false });
    expect(missing.text).toContain('could not start');
    const ok = await runAutomation({ name: 'env', when: [], command: [process.execPath, '-e', 'process.stdout.write(process.env.VIGIL_INCIDENT_ID + " " + process.env.VIGIL_INCIDENT_URL)'], timeout_ms: 10_000 }, ctx);
    expect(ok).toMatchObject({ ok: true, data: { exit_code: 0, stdout: 'i-1 http://v/ui/#/incidents/i-1', stderr: '' } });
  });

  it('a command whose child keeps running is killed with its process group at the timeout', async () => {
    // The shell starts a grandchild that would outlive a plain kill of the shell.
    const r = await runAutomation({ name: 'tree', when: [], command: ['/bin/sh', '-c', 'sleep 30 & echo started; wait'], timeout_ms: 300 }, ctx);
    expect(r).toMatchObject({ ok: false, data: { timed_out: true, stdout: 'started\n' } });
  });
});
