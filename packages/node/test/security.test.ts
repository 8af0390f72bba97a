import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, requireService } from '@vigil/test-support';
import {
  createFastifyIpBlockHook,
  createIpBlockMiddleware,
  createMemorySecurityStore,
  createMetricsRegistry,
  createRedisSecurityStore,
  createSecurityMonitor,
  renderExposition,
  type SecurityAlert,
  type SecurityStore,
} from '@vigil/node';

const HOUR = 3_600_000;
let redisUp = false;
let redis: Redis | undefined;
const prefix = `vigil:test:${process.pid}:${Date.now()}:`;

beforeAll(async () => {
  redisUp = await requireService(redisUrl());
  if (redisUp) redis = new Redis(redisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const stores: [string, () => SecurityStore | undefined][] = [
  ['memory', () => createMemorySecurityStore()],
  ['redis', () => (redisUp && redis ? createRedisSecurityStore({ redis, prefix: `${prefix}${Math.random()}:` }) : undefined)],
];

describe.each(stores)('%s store', (name, make) => {
  it('counts events in a sliding window (old ones leave, window is left-open)', async (ctx) => {
    const store = make();
    if (!store) return ctx.skip();
    expect(await store.hit('k', 1000, 100)).toBe(1);
    expect(await store.hit('k', 1050, 100)).toBe(2);
    expect(await store.hit('k', 1050, 100)).toBe(3);
    // At 1100 the event at 1000 is exactly one window old and leaves.
    expect(await store.hit('k', 1100, 100)).toBe(3);
    // At 1200 the events at 1050 and 1100 are outside (1100 exactly at the open edge).
    expect(await store.hit('k', 1200, 100)).toBe(1);
    expect(await store.hit('k', 1250, 100)).toBe(2);
    expect(await store.hit('other', 1200, 100)).toBe(1);
    await store.clear('k');
    expect(await store.hit('k', 1251, 100)).toBe(1);
  });

  it('blocks until a time and unblocks', async (ctx) => {
    const store = make();
    if (!store) return ctx.skip();
    const now = Date.now();
    await store.block('ip:1', now + 60_000, now);
    expect(await store.blockedUntil('ip:1', now)).toBe(now + 60_000);
    expect(await store.blockedUntil('ip:1', now + 60_000)).toBeUndefined();
    expect(await store.blockedUntil('ip:2', now)).toBeUndefined();
    await store.unblock('ip:1');
    expect(await store.blockedUntil('ip:1', now)).toBeUndefined();
  });

  it('counts concurrent hits atomically', async (ctx) => {
    const store = make();
    if (!store) return ctx.skip();
    const counts = await Promise.all(Array.from({ length: 50 }, () => store.hit('burst', 5000, 1000)));
    expect(new Set(counts).size).toBe(50);
    expect(Math.max(...counts)).toBe(50);
    void name;
  });
});

describe('redis store specifics', () => {
  it('expires window keys and blocks in Redis', async (ctx) => {
    if (!redisUp || !redis) return ctx.skip();
    const p = `${prefix}ttl:`;
    const store = createRedisSecurityStore({ redis, prefix: p });
    const now = Date.now();
    await store.hit('k', now, 30_000);
    await store.block('ip:9', now + 10_000, now);
    const winTtl = await redis.pttl(`${p}win:k`);
    const blockTtl = await redis.pttl(`${p}block:ip:9`);
    expect(winTtl).toBeGreaterThan(0);
    expect(winTtl).toBeLessThanOrEqual(30_000);
    expect(blockTtl).toBeGreaterThan(0);
    expect(blockTtl).toBeLessThanOrEqual(10_000);
  });

  it('two monitors sharing one Redis store see each other\'s failures', async (ctx) => {
    if (!redisUp || !redis) return ctx.skip();
    const p = `${prefix}shared:`;
    let t = 1_700_000_000_000;
    const a = createSecurityMonitor({ store: createRedisSecurityStore({ redis, prefix: p }), now: () => t });
    const b = createSecurityMonitor({ store: createRedisSecurityStore({ redis, prefix: p }), now: () => t });
    for (let i = 0; i < 10; i++) {
      await (i % 2 ? a : b).recordLoginAttempt({ ip: '192.0.2.5', success: false });
      t += 1000;
    }
    const r = await a.recordLoginAttempt({ ip: '192.0.2.5', success: false });
    expect(r).toMatchObject({ ipFailures: 11, thresholdCrossed: true, blocked: true });
    expect(await b.blockedUntil('192.0.2.5')).toBe(t + HOUR);
  });
});

describe('security monitor', () => {
  it('alerts and blocks after more than 10 failed logins per IP in an hour; counts metrics', async () => {
    const registry = createMetricsRegistry();
    const logs: Record<string, unknown>[] = [];
    const alerts: SecurityAlert[] = [];
    let t = 0;
    const monitor = createSecurityMonitor({ registry, now: () => t, logger: { warn: (o) => logs.push(o) }, onAlert: (a) => alerts.push(a) });
    for (let i = 0; i < 10; i++) {
      const r = await monitor.recordLoginAttempt({ ip: '203.0.113.1', username: `u${i}`, success: false });
      expect(r.thresholdCrossed).toBe(false);
      t += 60_000;
    }
    const crossing = await monitor.recordLoginAttempt({ ip: '203.0.113.1', username: 'u99', success: false });
    expect(crossing).toMatchObject({ ipFailures: 11, thresholdCrossed: true, blocked: true });
    expect(alerts.map((a) => a.type)).toEqual(['failed_login_threshold', 'ip_blocked']);
    expect(logs[0]).toMatchObject({ log_type: 'security', event_type: 'failed_login_threshold', ip_address: '203.0.113.1', count: 11 });
    // The 12th failure does not alert again.
    await monitor.recordLoginAttempt({ ip: '203.0.113.1', success: false });
    expect(alerts).toHaveLength(2);
    await monitor.recordLoginAttempt({ ip: '198.51.100.2', success: true });
    const text = await renderExposition(registry, 'text');
    expect(text).toContain('authentication_attempts_total{status="failed"} 12');
    expect(text).toContain('authentication_attempts_total{status="success"} 1');
    expect(text).toContain('security_events_total{type="failed_login_threshold"} 1');
    expect(text).toContain('security_events_total{type="ip_blocked"} 1');
    // The block expires after an hour.
    t += HOUR + 1;
    expect(await monitor.blockedUntil('203.0.113.1')).toBeUndefined();
  });

  it('tracks failures per username across IPs, old failures slide out of the window, success resets', async () => {
    let t = 0;
    const alerts: SecurityAlert[] = [];
    const monitor = createSecurityMonitor({ now: () => t, autoBlock: false, failedLogins: { threshold: 3, windowMs: 10_000 }, onAlert: (a) => alerts.push(a) });
    for (let i = 0; i < 3; i++) await monitor.recordLoginAttempt({ ip: `10.0.0.${i}`, username: 'admin', success: false });
    t = 20_000; // all three are outside the window now
    const r = await monitor.recordLoginAttempt({ ip: '10.0.0.9', username: 'admin', success: false });
    expect(r.usernameFailures).toBe(1);
    for (let i = 0; i < 3; i++) await monitor.recordLoginAttempt({ ip: `10.0.1.${i}`, username: 'admin', success: false });
    expect(alerts).toEqual([expect.objectContaining({ type: 'failed_login_threshold', subject: 'username', value: 'admin', count: 4 })]);
    await monitor.recordLoginAttempt({ ip: '10.0.1.0', username: 'admin', success: true });
    expect((await monitor.recordLoginAttempt({ ip: '10.0.1.0', username: 'admin', success: false })).usernameFailures).toBe(1);
  });

  it('4xx and 429 patterns per IP raise events and blocks', async () => {
    const registry = createMetricsRegistry();
    const monitor = createSecurityMonitor({ registry, clientErrors: { threshold: 5, windowMs: 60_000 }, rateLimits: { threshold: 2, windowMs: 60_000 } });
    for (let i = 0; i < 6; i++) await monitor.recordClientError('192.0.2.1', 404);
    await monitor.recordClientError('192.0.2.1', 200);
    for (let i = 0; i < 3; i++) await monitor.recordClientError('192.0.2.2', 429);
    const text = await renderExposition(registry, 'text');
    expect(text).toContain('security_events_total{type="client_error_pattern"} 1');
    expect(text).toContain('security_events_total{type="rate_limit_pattern"} 1');
    expect(await monitor.blockedUntil('192.0.2.1')).toBeDefined();
    expect(await monitor.blockedUntil('192.0.2.2')).toBeDefined();
    expect(await monitor.blockedUntil('192.0.2.3')).toBeUndefined();
  });
});

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('IP blocking middleware', () => {
  it('Express: blocked client (behind a trusted proxy) gets 429 JSON; others pass; spoofed XFF is ignored', async () => {
    const registry = createMetricsRegistry();
    const monitor = createSecurityMonitor({ registry, clientErrors: { threshold: 1000, windowMs: 60_000 } });
    const app = express();
    app.use(createIpBlockMiddleware(monitor, { clientIp: { trustedProxies: ['127.0.0.1'] } }));
    app.get('/', (_req, res) => void res.send('ok'));
    const base = await listen(http.createServer(app));
    await monitor.block('203.0.113.50', 120_000, 'test');

    const blocked = await fetch(base, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toContain('application/json');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(100);
    expect(await blocked.json()).toMatchObject({ error: 'IP address is blocked' });
    // The client appends its own fake address; the proxy-added hop (rightmost untrusted) is what counts.
    const spoof = await fetch(base, { headers: { 'x-forwarded-for': '10.9.9.9, 203.0.113.50' } });
    expect(spoof.status).toBe(429);
    expect((await fetch(base, { headers: { 'x-forwarded-for': '203.0.113.50, 198.51.100.7' } })).status).toBe(200);
    expect((await fetch(base)).status).toBe(200);
    expect(await renderExposition(registry, 'text')).toContain('security_events_total{type="blocked_request"} 2');
  });

  it('Fastify: blocked IP gets 429 JSON and 4xx responses feed the pattern tracker', async () => {
    const monitor = createSecurityMonitor({ clientErrors: { threshold: 3, windowMs: 60_000 } });
    const app = Fastify();
    closers.push(() => app.close());
    app.addHook('onRequest', createFastifyIpBlockHook(monitor));
    app.get('/secret', async (_req, reply) => reply.code(403).send({ error: 'forbidden' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    for (let i = 0; i < 4; i++) expect((await fetch(`${base}/secret`)).status).toBe(403);
    await new Promise((r) => setImmediate(r));
    const res = await fetch(`${base}/secret`);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: 'IP address is blocked', retry_after_seconds: 3600 });
  });
});
