import { describe, expect, it } from 'vitest';
import { createHealthEndpoints, type HealthRequest } from './endpoints.js';
import { createHealthRegistry } from './registry.js';
import type { HealthStatus } from './types.js';

function req(url: string, init: Partial<HealthRequest> = {}): HealthRequest {
  return { method: 'GET', url, headers: {}, ...init };
}

function setup(
  status: { db: HealthStatus; cache: HealthStatus } = { db: 'healthy', cache: 'healthy' },
) {
  // A clock that moves 10 ms per reading, so the 1 ms TTL always expires between requests.
  let t = 0;
  const registry = createHealthRegistry({ logger: false, cacheTtlMs: 1, now: () => (t += 10) });
  registry.register({
    name: 'database',
    check: () => ({ status: status.db, error: 'db down password=hunter2' }),
  });
  registry.register({
    name: 'cache',
    critical: false,
    check: () => ({ status: status.cache, details: { memory_used_mb: 1 } }),
  });
  const endpoints = createHealthEndpoints({
    registry,
    version: '1.2.3',
    environment: 'test',
    now: () => Date.UTC(2024, 0, 1),
  });
  return { registry, endpoints, status };
}

describe('createHealthEndpoints', () => {
  it('serves the basic shape of guide 002', async () => {
    const { endpoints } = setup();
    const res = (await endpoints.handle(req('/health')))!;
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 'healthy',
      timestamp: '2024-01-01T00:00:00.000Z',
      version: '1.2.3',
      environment: 'test',
    });
    expect(typeof JSON.parse(res.body).uptime_seconds).toBe('number');
  });

  it('serves detailed dependencies and process metrics; 503 when a critical check is unhealthy', async () => {
    const { endpoints, status } = setup();
    status.db = 'unhealthy';
    const res = (await endpoints.handle(req('/health/detailed')))!;
    expect(res.statusCode).toBe(503);
    const body = JSON.parse(res.body);
    expect(body.status).toBe('unhealthy');
    expect(body.dependencies.database).toMatchObject({ status: 'unhealthy', critical: true });
    expect(typeof body.dependencies.database.response_time_ms).toBe('number');
    expect(body.dependencies.database.last_check).toMatch(/^\d{4}-/);
    expect(body.dependencies.database.error).not.toContain('hunter2');
    expect(body.dependencies.cache.details).toEqual({ memory_used_mb: 1 });
    expect(Object.keys(body.metrics).sort()).toEqual([
      'cpu_usage_percent',
      'memory_usage_mb',
      'uptime_seconds',
    ]);
  });

  it('returns 200 for degraded (non-critical failure) and stays ready', async () => {
    const { endpoints, status } = setup();
    status.cache = 'unhealthy';
    const basic = (await endpoints.handle(req('/health')))!;
    expect(basic.statusCode).toBe(200);
    expect(JSON.parse(basic.body).status).toBe('degraded');
    const ready = (await endpoints.handle(req('/health/ready')))!;
    expect(ready.statusCode).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'ready',
      checks: { database: 'ready', cache: 'degraded' },
    });
  });

  it('readiness fails on a critical failure, during startup and while shutting down', async () => {
    const { endpoints, registry, status } = setup();
    status.db = 'unhealthy';
    expect((await endpoints.handle(req('/health/ready')))!.statusCode).toBe(503);
    status.db = 'healthy';
    const task = registry.startupTask('migrations');
    let res = (await endpoints.handle(req('/health/ready')))!;
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({
      reason: 'starting',
      checks: { migrations: 'pending' },
    });
    task.complete();
    res = (await endpoints.handle(req('/health/ready')))!;
    expect(JSON.parse(res.body).checks.migrations).toBe('complete');
    expect(res.statusCode).toBe(200);
    registry.markShuttingDown();
    res = (await endpoints.handle(req('/health/ready')))!;
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'not_ready', reason: 'shutting_down' });
  });

  it('liveness never depends on dependencies', async () => {
    const { endpoints, status } = setup();
    status.db = 'unhealthy';
    const res = (await endpoints.handle(req('/health/live')))!;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'alive' });
  });

  it('startup is 503 until declared tasks complete', async () => {
    const { endpoints, registry } = setup();
    const warm = registry.startupTask('warm-cache');
    let res = (await endpoints.handle(req('/health/startup')))!;
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({
      status: 'starting',
      tasks: { 'warm-cache': 'pending' },
    });
    warm.complete();
    res = (await endpoints.handle(req('/health/startup')))!;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).status).toBe('started');
  });

  it('handles query strings, trailing slashes, HEAD, health+json and other methods', async () => {
    const { endpoints } = setup();
    expect((await endpoints.handle(req('/health/ready?probe=k8s&x=1')))!.statusCode).toBe(200);
    expect((await endpoints.handle(req('/health/live/')))!.statusCode).toBe(200);
    expect(await endpoints.handle(req('/healthz'))).toBeUndefined();
    expect(await endpoints.handle(req('/health/other'))).toBeUndefined();
    const head = (await endpoints.handle(req('/health', { method: 'HEAD' })))!;
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    const hj = (await endpoints.handle(
      req('/health', { headers: { accept: 'application/health+json' } }),
    ))!;
    expect(hj.headers['content-type']).toBe('application/health+json');
    const post = (await endpoints.handle(req('/health', { method: 'POST' })))!;
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('restricts the detailed view by bearer token or function', async () => {
    const registry = createHealthRegistry({ logger: false });
    registry.register({ name: 'db', check: () => ({}) });
    const byToken = createHealthEndpoints({
      registry,
      detailedAccess: { bearerToken: 's3cr3t-token' },
    });
    const denied = (await byToken.handle(req('/health/detailed')))!;
    expect(denied.statusCode).toBe(401);
    expect(denied.body).not.toContain('db');
    expect(denied.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(
      (await byToken.handle(
        req('/health/detailed', { headers: { authorization: 'Bearer wrong' } }),
      ))!.statusCode,
    ).toBe(401);
    const ok = (await byToken.handle(
      req('/health/detailed', { headers: { authorization: 'Bearer s3cr3t-token' } }),
    ))!;
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).dependencies.db.status).toBe('healthy');
    const byFn = createHealthEndpoints({
      registry,
      detailedAccess: (r) => r.headers['x-internal'] === '1',
    });
    expect((await byFn.handle(req('/health/detailed')))!.statusCode).toBe(401);
    expect(
      (await byFn.handle(req('/health/detailed', { headers: { 'x-internal': '1' } })))!.statusCode,
    ).toBe(200);
    // The basic view stays public.
    expect((await byToken.handle(req('/health')))!.statusCode).toBe(200);
  });
});
