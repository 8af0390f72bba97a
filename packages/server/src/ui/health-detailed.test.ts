import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(svc.hits()).toBe(2);
  });
});
