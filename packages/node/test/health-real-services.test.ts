/**
 * Health checks against the machine's shared PostgreSQL and Redis: healthy results with figures, the
 * single-flight/TTL guarantee counted with a counting wrapper around a real pg Pool, and no secrets in output.
 */
import { postgresUrl, redisUrl, requireService } from '@vigil/test-support';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCheck, type PgPoolLike } from '../src/health/checks/postgres-check.js';
import { redisCheck } from '../src/health/checks/redis-check.js';
import { createHealthEndpoints } from '../src/health/endpoints.js';
import { createHealthRegistry } from '../src/health/registry.js';
import { freePort } from './health-private-servers.js';

let pgUp = false;
let redisUp = false;
beforeAll(async () => {
  pgUp = await requireService(postgresUrl());
  redisUp = await requireService(redisUrl());
});

describe('shared postgres', () => {
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('is healthy with SELECT 1 and reports pool figures (pool and connection-string modes)', async (ctx) => {
    if (!pgUp) ctx.skip();
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 3 });
    pools.push(pool);
    const registry = createHealthRegistry({ logger: false });
    registry.register(postgresCheck({ pool }));
    registry.register(postgresCheck({ name: 'database_owned', connectionString: postgresUrl() }));
    const report = await registry.run();
    expect(report.status).toBe('healthy');
    expect(report.checks[0]!.details).toMatchObject({
      pool_total: 1,
      pool_idle: 1,
      pool_waiting: 0,
    });
    expect(report.checks[1]!.status).toBe('healthy');
    await registry.close();
  });

  it('10,000 concurrent probes cause one query per TTL (counting wrapper around the real pool)', async (ctx) => {
    if (!pgUp) ctx.skip();
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 5 });
    pools.push(pool);
    let queries = 0;
    const counting: PgPoolLike = {
      async connect() {
        const client = await pool.connect();
        return {
          query: (text: string) => {
            queries += 1;
            return client.query(text);
          },
          release: (e?: Error | boolean) => client.release(e),
        };
      },
    };
    let t = 1_700_000_000_000;
    const registry = createHealthRegistry({ logger: false, cacheTtlMs: 5000, now: () => t });
    registry.register(postgresCheck({ pool: counting }));
    const endpoints = createHealthEndpoints({ registry });
    const burst = () =>
      Promise.all(
        Array.from({ length: 10_000 }, () =>
          endpoints.handle({ method: 'GET', url: '/health/ready', headers: {} }),
        ),
      );
    const responses = await burst();
    expect(responses.every((r) => r?.statusCode === 200)).toBe(true);
    expect(queries).toBe(1);
    t += 4999;
    await burst();
    expect(queries).toBe(1);
    t += 2;
    await burst();
    expect(queries).toBe(2);
  });

  it('a failing connection string never shows up in results, endpoints or transition logs', async (ctx) => {
    if (!pgUp) ctx.skip();
    const u = new URL(postgresUrl());
    u.password = 'Sup3rS3cretPw';
    u.pathname = '/vigil_no_such_database';
    const logs: string[] = [];
    const logger = {
      info: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
      warn: (o: object, m: string) => logs.push(JSON.stringify(o) + m),
    };
    const registry = createHealthRegistry({ logger });
    registry.register(postgresCheck({ connectionString: u.toString(), timeoutMs: 3000 }));
    const endpoints = createHealthEndpoints({ registry });
    const res = (await endpoints.handle({ method: 'GET', url: '/health/detailed', headers: {} }))!;
    expect(res.statusCode).toBe(503);
    const body = JSON.parse(res.body);
    expect(body.dependencies.database.status).toBe('unhealthy');
    expect(body.dependencies.database.error).toMatch(/vigil_no_such_database|does not exist/);
    const everything = res.body + logs.join('\n');
    expect(logs.length).toBe(1);
    expect(everything).not.toContain('Sup3rS3cretPw');
    expect(everything).not.toContain(u.toString());
    await registry.close();
  });
});

describe('shared redis', () => {
  it('is healthy with PING and reports memory used (own client and app client)', async (ctx) => {
    if (!redisUp) ctx.skip();
    const client = new Redis(redisUrl());
    const registry = createHealthRegistry({ logger: false });
    registry.register(redisCheck({ url: redisUrl() }));
    registry.register(redisCheck({ name: 'redis_app', client }));
    const report = await registry.run();
    expect(report.status).toBe('healthy');
    for (const r of report.checks) expect(r.details?.memory_used_mb).toBeGreaterThan(0);
    await registry.close();
    client.disconnect();
  });

  it('an app client still connecting (no offline queue) is waited for within the timeout', async (ctx) => {
    if (!redisUp) ctx.skip();
    const client = new Redis(redisUrl(), { enableOfflineQueue: false });
    const registry = createHealthRegistry({ logger: false });
    registry.register(redisCheck({ client, timeoutMs: 2000 }));
    expect(client.status).not.toBe('ready');
    expect((await registry.check('redis')).status).toBe('healthy');
    client.disconnect();
  });

  it('an unreachable redis with a password in its URL: unhealthy, no secret in output', async () => {
    const port = await freePort();
    const registry = createHealthRegistry({ logger: false });
    registry.register(
      redisCheck({ url: `redis://default:R3disPassw0rd@127.0.0.1:${port}/0`, timeoutMs: 1000 }),
    );
    const res = (await createHealthEndpoints({ registry }).handle({
      method: 'GET',
      url: '/health/detailed',
      headers: {},
    }))!;
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('R3disPassw0rd');
    await registry.close();
  });
});
