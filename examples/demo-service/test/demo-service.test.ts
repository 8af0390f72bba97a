/**
 * The demo service end to end over HTTP: in-memory mode with no configuration, and real PostgreSQL and
 * Redis mode where `/health/detailed` reports both dependencies.
 */
import { postgresUrl, redisUrl, requireService } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoService, type DemoService } from '../src/app.js';

let demo: DemoService | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

// Response bodies are checked field by field below, so a loose JSON type is enough here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(url: string, init?: RequestInit): Promise<[number, any]> {
  const res = await fetch(url, init);
  return [res.status, await res.json()];
}

describe('demo service', () => {
  it('runs in memory without DATABASE_URL/REDIS_URL: API and health endpoints work', async () => {
    demo = await startDemoService({ port: 0, host: '127.0.0.1', databaseUrl: '', redisUrl: '' });
    expect(demo.mode).toEqual({ storage: 'memory', cache: 'none' });
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [s1, users] = await json(`${demo.url}/api/users`);
    expect(s1).toBe(200);
    expect(users.length).toBeGreaterThan(0);
    expect(JSON.stringify(users)).not.toContain('password');

    const [bad] = await json(`${demo.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'ada@example.com', password: 'x' }),
    });
    expect(bad).toBe(401);
    const [ok, login] = await json(`${demo.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'ada@example.com', password: 'analytical-engine' }),
    });
    expect(ok).toBe(200);
    const [denied] = await json(`${demo.url}/api/orders`, {
      method: 'POST',
      body: '{"item":"book"}',
    });
    expect(denied).toBe(401);
    const [created, order] = await json(`${demo.url}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}` },
      body: '{"item":"book","quantity":2}',
    });
    expect(created).toBe(201);
    expect(order).toMatchObject({ user_id: 1, item: 'book', quantity: 2 });
    const [, orders] = await json(`${demo.url}/api/orders`);
    expect(orders).toHaveLength(1);
    expect(
      (await fetch(`${demo.url}/api/login`, { method: 'POST', body: '{not json' })).status,
    ).toBe(400);

    const [hs, health] = await json(demo.urls.health);
    expect(hs).toBe(200);
    expect(['healthy', 'degraded']).toContain(health.status);
    expect((await fetch(demo.urls.ready)).status).toBe(200);
    expect((await fetch(demo.urls.live)).status).toBe(200);
    expect((await fetch(demo.urls.startup)).status).toBe(200);
    const [, detailed] = await json(demo.urls.detailed);
    expect(Object.keys(detailed.dependencies)).toEqual(
      expect.arrayContaining(['disk', 'memory', 'event_loop']),
    );
    expect(detailed.dependencies.database).toBeUndefined();
  });

  it('checks the real PostgreSQL and Redis when configured', async (ctx) => {
    if (!(await requireService(postgresUrl())) || !(await requireService(redisUrl()))) ctx.skip();
    demo = await startDemoService({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: postgresUrl(),
      redisUrl: redisUrl(),
      healthToken: 'demo-health-token',
    });
    expect(demo.mode).toEqual({ storage: 'postgres', cache: 'redis' });
    const [s, users] = await json(`${demo.url}/api/users`);
    expect(s).toBe(200);
    expect(users.map((u: { email: string }) => u.email)).toContain('ada@example.com');
    expect((await fetch(demo.urls.detailed)).status).toBe(401);
    const [ds, detailed] = await json(demo.urls.detailed, {
      headers: { authorization: 'Bearer demo-health-token' },
    });
    expect(ds).toBe(200);
    expect(detailed.dependencies.database).toMatchObject({ status: 'healthy', critical: true });
    expect(detailed.dependencies.redis).toMatchObject({ status: 'healthy', critical: false });
    expect(detailed.dependencies.database.details.pool_total).toBeGreaterThan(0);
    expect(JSON.stringify(detailed)).not.toContain(postgresUrl());
  });

  it('reports the database as unhealthy (503, not ready) when it is unreachable', async () => {
    demo = await startDemoService({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgres://app:DemoSecretPw@127.0.0.1:1/app',
      redisUrl: '',
    });
    const ready = await fetch(demo.urls.ready);
    expect(ready.status).toBe(503);
    const [ds, detailed] = await json(demo.urls.detailed);
    expect(ds).toBe(503);
    expect(detailed.dependencies.database.status).toBe('unhealthy');
    expect(JSON.stringify(detailed)).not.toContain('DemoSecretPw');
    const [ss, startup] = await json(demo.urls.startup);
    expect(ss).toBe(503);
    expect(startup.tasks.migrations).toBe('pending');
    expect((await fetch(demo.urls.live)).status).toBe(200);
  });
});
