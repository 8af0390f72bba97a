/**
 * Health checks against private PostgreSQL and Redis servers this test starts on their own ports, then
 * freezes (SIGSTOP) and kills: the checks must turn unhealthy within their timeout (+100 ms) and recover.
 */
import { requireService } from '@vigil/test-support';
import { Redis } from 'ioredis';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCheck } from '../src/health/checks/postgres-check.js';
import { redisCheck } from '../src/health/checks/redis-check.js';
import { createHealthEndpoints } from '../src/health/endpoints.js';
import { createNodeHealthListener } from '../src/health/node-http-adapter.js';
import { createHealthRegistry } from '../src/health/registry.js';
import {
  serverPid,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateServer,
} from './health-private-servers.js';

const TIMEOUT = 400;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

describe('private redis: stopped and killed', () => {
  let redis: PrivateServer;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('owned client: healthy → SIGSTOP unhealthy within timeout → SIGCONT healthy again', async () => {
    const registry = createHealthRegistry({ logger: false });
    registry.register(redisCheck({ url: redis.url, timeoutMs: TIMEOUT }));
    const ok = await registry.check('redis', { fresh: true });
    expect(ok.status).toBe('healthy');
    expect(ok.details?.memory_used_mb).toBeGreaterThan(0);

    redis.signal('SIGSTOP');
    const [stopped, waited] = await timed(() => registry.check('redis', { fresh: true }));
    expect(stopped.status).toBe('unhealthy');
    expect(stopped.error).toMatch(/timed out/);
    expect(stopped.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
    expect(waited).toBeLessThan(TIMEOUT + 1500);

    redis.signal('SIGCONT');
    expect((await registry.check('redis', { fresh: true })).status).toBe('healthy');
    await registry.close();
  });

  it('over HTTP: a frozen dependency makes /health/ready answer 503 within the timeout, /health/live stays 200', async () => {
    // A 1 ms TTL: every probe runs the check, so the probe itself is what must not hang.
    const registry = createHealthRegistry({ logger: false, cacheTtlMs: 1 });
    registry.register(redisCheck({ url: redis.url, timeoutMs: TIMEOUT }));
    const server = http.createServer(
      createNodeHealthListener(createHealthEndpoints({ registry }), (_req, res) => res.end()),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      redis.signal('SIGSTOP');
      await new Promise((r) => setTimeout(r, 5));
      const [res, waited] = await timed(() => fetch(`${base}/health/ready`));
      expect(res.status).toBe(503);
      expect((await res.json()).checks.redis).toBe('not_ready');
      expect(waited).toBeLessThan(TIMEOUT + 1500);
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      redis.signal('SIGCONT');
      server.close();
      await registry.close();
    }
  });

  it('a caller-supplied client still never waits past the timeout', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    const registry = createHealthRegistry({ logger: false });
    registry.register(redisCheck({ client, timeoutMs: TIMEOUT }));
    expect((await registry.check('redis', { fresh: true })).status).toBe('healthy');
    redis.signal('SIGSTOP');
    try {
      const r = await registry.check('redis', { fresh: true });
      expect(r.status).toBe('unhealthy');
      expect(r.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
    } finally {
      redis.signal('SIGCONT');
    }
    client.disconnect();
  });

  it('10,000 concurrent probes issue one PING per TTL (counted by INFO commandstats)', async () => {
    const admin = new Redis(redis.url);
    let t = 1_700_000_000_000;
    const registry = createHealthRegistry({ logger: false, cacheTtlMs: 10_000, now: () => t });
    registry.register(redisCheck({ url: redis.url, memory: false, timeoutMs: 2000 }));
    const endpoints = createHealthEndpoints({ registry });
    const pings = async () => {
      const stats = await admin.info('commandstats');
      return Number(/cmdstat_ping:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    await admin.config('RESETSTAT');
    const burst = () =>
      Promise.all(
        Array.from({ length: 10_000 }, () =>
          endpoints.handle({ method: 'GET', url: '/health/ready', headers: {} }),
        ),
      );
    const first = await burst();
    expect(first.every((r) => r?.statusCode === 200)).toBe(true);
    expect(await pings()).toBe(1);
    t += 9_999;
    await burst();
    expect(await pings()).toBe(1);
    t += 1;
    await burst();
    expect(await pings()).toBe(2);
    await registry.close();
    admin.disconnect();
  });

  it('a killed server is unhealthy at once and the error holds no secrets', async () => {
    const registry = createHealthRegistry({ logger: false });
    const url = redis.url.replace('redis://', 'redis://:Hunter2Secret@');
    registry.register(redisCheck({ url, timeoutMs: TIMEOUT }));
    await redis.stop();
    const [r, waited] = await timed(() => registry.check('redis', { fresh: true }));
    expect(r.status).toBe('unhealthy');
    expect(waited).toBeLessThan(TIMEOUT + 1500);
    const body = JSON.stringify(
      await createHealthEndpoints({ registry }).handle({
        method: 'GET',
        url: '/health/detailed',
        headers: {},
      }),
    );
    expect(body).not.toContain('Hunter2Secret');
    expect(body).not.toContain(redis.url);
    await registry.close();
  });
});

describe('private postgres: stopped and killed', () => {
  let server: PrivateServer | undefined;
  let available = false;
  beforeAll(async () => {
    // The private cluster needs the PostgreSQL binaries; the shared server tells us Postgres belongs to this machine.
    available = await requireService(`postgres://127.0.0.1:5432`);
    if (available) server = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('connection string: healthy → SIGSTOP unhealthy within timeout → SIGCONT healthy → killed unhealthy', async (ctx) => {
    if (!available) ctx.skip();
    const pgServer = server!;
    const registry = createHealthRegistry({ logger: false });
    registry.register(postgresCheck({ connectionString: pgServer.url, timeoutMs: TIMEOUT }));
    const ok = await registry.check('database', { fresh: true });
    expect(ok.status).toBe('healthy');
    expect(ok.details).toMatchObject({ pool_total: 1 });

    pgServer.signal('SIGSTOP');
    let stopped;
    let waited;
    try {
      [stopped, waited] = await timed(() => registry.check('database', { fresh: true }));
      // A second probe while frozen must not queue behind the first one's stuck connection.
      const again = await registry.check('database', { fresh: true });
      expect(again.status).toBe('unhealthy');
      expect(again.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
    } finally {
      pgServer.signal('SIGCONT');
    }
    expect(stopped.status).toBe('unhealthy');
    expect(stopped.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
    expect(waited).toBeLessThan(TIMEOUT + 1500);

    expect((await registry.check('database', { fresh: true })).status).toBe('healthy');

    // SIGQUIT is PostgreSQL's immediate (crash-like) shutdown: connections drop, nothing is cleaned up.
    process.kill(serverPid(pgServer), 'SIGQUIT');
    // Signal delivery is asynchronous: probe until the check sees it (each probe is itself bounded).
    let killed = await registry.check('database', { fresh: true });
    for (let i = 0; i < 40 && killed.status !== 'unhealthy'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      killed = await registry.check('database', { fresh: true });
    }
    expect(killed.status).toBe('unhealthy');
    expect(killed.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
    expect(killed.error).not.toContain(pgServer.url);
    await registry.close();
  });
});

describe('private postgres with an app-supplied pool', () => {
  let server: PrivateServer | undefined;
  let available = false;
  beforeAll(async () => {
    available = await requireService(`postgres://127.0.0.1:5432`);
    if (available) server = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a frozen server never makes the probe wait past the timeout, and pool slots are given back', async (ctx) => {
    if (!available) ctx.skip();
    const pool = new pg.Pool({ connectionString: server!.url, max: 2 });
    pool.on('error', () => undefined);
    const registry = createHealthRegistry({ logger: false });
    registry.register(postgresCheck({ pool, timeoutMs: TIMEOUT }));
    expect((await registry.check('database', { fresh: true })).status).toBe('healthy');
    server!.signal('SIGSTOP');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await registry.check('database', { fresh: true });
        expect(r.status).toBe('unhealthy');
        expect(r.response_time_ms).toBeLessThanOrEqual(TIMEOUT + 100);
      }
    } finally {
      server!.signal('SIGCONT');
    }
    const recovered = await registry.check('database', { fresh: true });
    expect(recovered.status).toBe('healthy');
    await pool.end();
  });
});
