import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHealthDetailedReader } from './health-detailed.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A real service answering /health/detailed with `status` and `body`, counting requests. */
async function service(status: number, body: unknown): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const s = http.createServer((req, res) => {
    if (req.url !== '/health/detailed') return void res.writeHead(404).end();
    hits++;
    res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, hits: () => hits };
}

const report = {
  status: 'degraded',
  dependencies: {
    postgres: { status: 'healthy', critical: true, response_time_ms: 3, details: { pool: 'secret-ish' } },
    redis: { status: 'unhealthy', critical: false, response_time_ms: 1500, error: 'timeout after 1500ms' },
  },
};

describe('createHealthDetailedReader', () => {
  it('reads names, statuses, times and errors (never details), also from a 503 answer', async () => {
    const ok = await service(200, report);
    const read = createHealthDetailedReader();
    expect(await read(ok.url)).toEqual({
      status: 'degraded',
      checks: [
        { name: 'postgres', status: 'healthy', critical: true, response_time_ms: 3 },
        { name: 'redis', status: 'unhealthy', critical: false, response_time_ms: 1500, error: 'timeout after 1500ms' },
      ],
    });
    const down = await service(503, { ...report, status: 'unhealthy' });
    expect((await read(down.url))?.status).toBe('unhealthy');
  });

  it('yields undefined for restricted, missing, non-JSON or unreachable endpoints', async () => {
    const read = createHealthDetailedReader({ timeoutMs: 1000 });
    expect(await read((await service(401, { error: 'unauthorized' })).url)).toBeUndefined();
    expect(await read((await service(200, 'not json')).url)).toBeUndefined();
    expect(await read((await service(200, { status: 'ok' })).url)).toBeUndefined();
    const gone = await service(200, report);
    servers.pop()!.close();
    expect(await read(gone.url)).toBeUndefined();
  });

  it('reuses an answer for the TTL on its clock and shares concurrent reads', async () => {
    let t = 0;
    const svc = await service(200, report);
    const read = createHealthDetailedReader({ ttlMs: 10_000, now: () => t });
    await Promise.all([read(svc.url), read(svc.url), read(svc.url)]);
    expect(svc.hits()).toBe(1);
    t = 9_999;
    await read(svc.url);
    expect(svc.hits()).toBe(1);
    t = 10_000;
    await read(svc.url);
    // Expired: the last answer comes back at once and the refresh reaches the service.
    await vi.waitFor(() => expect(svc.hits()).toBe(2));
  });

  it('after the TTL answers the last report at once and refreshes it in the background', async () => {
    let t = 0;
    let body: unknown = report;
    let release: () => void = () => undefined;
    let hold = false;
    let hits = 0;
    const s = http.createServer((_req, res) => {
      hits++;
      const send = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (hold) release = send;
      else send();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const read = createHealthDetailedReader({ ttlMs: 10_000, staleMs: 60_000, now: () => t });
    expect((await read(url))?.status).toBe('degraded');
    // The service is slow now: an expired read must not wait for it.
    body = { ...report, status: 'healthy' };
    hold = true;
    t = 10_000;
    expect((await read(url))?.status).toBe('degraded');
    await vi.waitFor(() => expect(hits).toBe(2));
    release();
    await vi.waitFor(async () => expect((await read(url))?.status).toBe('healthy'));
    expect(hits).toBe(2);
    // Past TTL + staleMs the old answer is too old: the read waits for the service.
    hold = false;
    body = { ...report, status: 'unhealthy' };
    t = 10_000 + 10_000 + 60_000;
    expect((await read(url))?.status).toBe('unhealthy');
  });
});
