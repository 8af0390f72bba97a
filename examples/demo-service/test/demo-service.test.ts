/**
 * The demo service end to end over HTTP: in-memory mode with no configuration, and real PostgreSQL and
 * Redis mode where `/health/detailed` reports both dependencies.
 */
import { execFile } from 'node:child_process';
import { isCI, postgresUrl, redisUrl, requireService } from '@vigil/test-support';
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
    const lines: string[] = [];
    demo = await startDemoService({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgres://app:DemoSecretPw@127.0.0.1:1/app',
      redisUrl: '',
      logDestination: { write: (line: string) => void lines.push(line) },
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
    // The transition is logged through the service's own logger, with its fields and without the password.
    const transition = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'health check is unhealthy');
    expect(transition).toMatchObject({ level: 'warn', service: 'vigil-demo', check: 'database', to: 'unhealthy' });
    expect(lines.join('')).not.toContain('DemoSecretPw');
  });
});

describe('demo service observability', () => {
  it('serves /metrics with route-template RED metrics, business and security counters, passing promtool', async () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    demo = await startDemoService({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: '',
      redisUrl: '',
      logRequests: true,
      logDestination: destination,
    });
    await fetch(`${demo.url}/api/users/1`);
    await fetch(`${demo.url}/api/users/2`);
    await fetch(`${demo.url}/no/such/path?x=1`);
    await fetch(`${demo.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'ada@example.com', password: 'wrong-pw-123' }),
    });
    const login = (await (
      await fetch(`${demo.url}/api/login`, {
        method: 'POST',
        body: JSON.stringify({ email: 'ada@example.com', password: 'analytical-engine' }),
      })
    ).json()) as { token: string };
    const order = await fetch(`${demo.url}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'x-request-id': 'req-demo-1' },
      body: '{"item":"book"}',
    });
    expect(order.status).toBe(201);
    expect(order.headers.get('x-request-id')).toBe('req-demo-1');

    expect((await fetch(demo.urls.ready)).status).toBe(200);
    const res = await fetch(demo.urls.metrics);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/users\/:id",status_code="200"\} 2/,
    );
    expect(text).not.toContain('/api/users/1"');
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(/orders_created_total 1/);
    expect(text).toMatch(/authentication_attempts_total\{status="failed"\} 1/);
    expect(text).toMatch(/health_check_status\{check="memory"/);
    expect(text).toMatch(/cpu_usage_percent /);

    const check = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, output: stdout + stderr }),
      );
      child.stdin!.end(text);
    });
    if (check.code !== 0 && /ENOENT/.test(check.output) && !isCI()) return;
    expect(check.output).toBe('');
    expect(check.code).toBe(0);

    await demo.logger.flush();
    const records = lines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const orderLine = records.find(
      (r) => r.request_id === 'req-demo-1' && r.route === '/api/orders',
    );
    expect(orderLine).toMatchObject({
      method: 'POST',
      status_code: 201,
      service: 'vigil-demo',
      user_id: '1',
    });
    expect(JSON.stringify(records)).not.toContain('wrong-pw-123');
    expect(JSON.stringify(records)).not.toContain(login.token);
  });
});
