import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeriesStore, isStaleNaN } from '@vigil/engine';
import type { ProbeConfig } from '../config/types.js';
import { recordProbe, runProbe } from './probe.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ready') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ready', checks: [{ ok: true }] }));
    else if (req.url === '/down') res.writeHead(503).end('{"status":"down"}');
    else if (req.url === '/slow') setTimeout(() => res.end('{}'), 300);
    else res.end('not json');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

const http = (path: string, h: Partial<ProbeConfig['http']> = {}, timeout = 2000): ProbeConfig => ({
  name: 'p',
  type: 'http',
  target: `http://127.0.0.1:${port}${path}`,
  interval_ms: 1000,
  timeout_ms: timeout,
  labels: {},
  http: { method: 'GET', valid_status_codes: [], ...h },
});

describe('probes', () => {
  it('http: status, JSON path conditions, response time and timeout', async () => {
    expect(await runProbe(http('/ready', { body_json_path: 'status', body_json_equals: 'ready' }))).toMatchObject({ success: true, httpStatus: 200 });
    expect(await runProbe(http('/ready', { body_json_path: '$.checks[0].ok', body_json_equals: 'true' }))).toMatchObject({ success: true });
    expect(await runProbe(http('/ready', { body_json_path: 'status', body_json_equals: 'ok' }))).toMatchObject({ success: false, error: 'status is "ready", want ok' });
    expect(await runProbe(http('/down'))).toMatchObject({ success: false, httpStatus: 503 });
    expect(await runProbe(http('/down', { valid_status_codes: [503] }))).toMatchObject({ success: true });
    expect(await runProbe(http('/text', { body_json_path: 'a' }))).toMatchObject({ success: false, error: 'body is not JSON' });
    expect(await runProbe(http('/slow', {}, 100))).toMatchObject({ success: false, error: 'timeout after 100ms' });
    expect(await runProbe(http('/slow', { max_response_time_ms: 50 }))).toMatchObject({ success: false });
  });

  it('tcp and dns', async () => {
    const base = { name: 't', interval_ms: 1000, timeout_ms: 1000, labels: {}, http: { method: 'GET', valid_status_codes: [] } };
    expect(await runProbe({ ...base, type: 'tcp', target: `127.0.0.1:${port}` })).toMatchObject({ success: true });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await runProbe({ ...base, type: 'tcp', target: `127.0.0.1:${closedPort}` })).toMatchObject({ success: false, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(await runProbe({ ...base, type: 'dns', target: 'localhost' })).toMatchObject({ success: true });
    expect(await runProbe({ ...base, type: 'dns', target: 'no-such-host.invalid' })).toMatchObject({ success: false });
  });

  it('records probe_* series and marks dropped ones stale', () => {
    const store = createSeriesStore();
    const cfg = http('/ready');
    const names = recordProbe(store, cfg, { success: true, durationSeconds: 0.01, error: '', httpStatus: 200 }, 1000);
    expect([...names]).toEqual(['probe_success', 'probe_duration_seconds', 'probe_http_status_code']);
    recordProbe(store, cfg, { success: false, durationSeconds: 0.5, error: 'x' }, 2000, names);
    const status = store.select([{ type: '=', name: '__name__', value: 'probe_http_status_code' }], 0, 3000)[0]!;
    expect(status.labels).toMatchObject({ job: 'probe', probe: 'p', instance: cfg.target });
    expect(isStaleNaN(status.values[1]!)).toBe(true);
    expect(store.select([{ type: '=', name: '__name__', value: 'probe_success' }], 0, 3000)[0]!.values[1]).toBe(0);
  });
});
