import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeriesStore } from '@vigil/engine';
import type { ProbeConfig } from '../config/types.js';
import { createProbeManager, type ProbeRunEvent } from './manager.js';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => res.writeHead(req.url === '/down' ? 503 : 200).end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

const probe = (name: string, path: string): ProbeConfig => ({
  name,
  type: 'http',
  target: `http://127.0.0.1:${port}${path}`,
  interval_ms: 3_600_000,
  timeout_ms: 2000,
  labels: {},
  http: { method: 'GET', valid_status_codes: [] },
});

describe('probe manager subscribe', () => {
  it('tells listeners every run with its result and start time; a throwing listener stops nothing', async () => {
    let t = 1_000_000;
    const manager = createProbeManager({ store: createSeriesStore(), now: () => t });
    const events: ProbeRunEvent[] = [];
    manager.subscribe(() => {
      throw new Error('listener bug');
    });
    const stop = manager.subscribe((e) => events.push(e));
    manager.apply([probe('up', '/'), probe('down', '/down')]);
    // apply() starts a first run at t; this one starts later (same-timestamp samples would clash).
    t += 1000;
    await manager.runAll();
    expect(events.filter((e) => e.probe.name === 'up').length).toBeGreaterThanOrEqual(1);
    const byName = new Map(events.filter((e) => e.at === 1_001_000).map((e) => [e.probe.name, e]));
    expect(byName.get('up')).toMatchObject({ result: { success: true }, at: 1_001_000 });
    expect(byName.get('down')).toMatchObject({ result: { success: false, httpStatus: 503 }, at: 1_001_000 });
    // The throwing listener did not keep the manager from recording results.
    expect(manager.status().map((s) => s.last?.success)).toEqual([true, false]);
    stop();
    const seen = events.length;
    t += 1000;
    await manager.runAll();
    expect(events.length).toBe(seen);
    await manager.stop();
  });
});
