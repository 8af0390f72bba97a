import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createExpressMiddleware,
  createFastifyPlugin,
  createLogger,
  createRequestContextStore,
  createSecurityLogger,
  createShutdownCoordinator,
  defaultLogLevel,
  instrumentNodeHandler,
} from '@vigil/node';

type Line = Record<string, unknown>;

function memoryDestination(): { lines: Line[]; write(s: string): void } {
  const lines: Line[] = [];
  return { lines, write: (s: string) => void lines.push(JSON.parse(s) as Line) };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createLogger', () => {
  it('writes the standard fields with ISO timestamp and level names', () => {
    const dest = memoryDestination();
    const logger = createLogger({ service: 'orders', environment: 'production', destination: dest });
    logger.info({ order_id: 7 }, 'order placed');
    logger.debug('hidden at info');
    expect(dest.lines).toHaveLength(1);
    const line = dest.lines[0]!;
    expect(line).toMatchObject({ level: 'info', service: 'orders', environment: 'production', message: 'order placed', order_id: 7 });
    expect(new Date(line.timestamp as string).toISOString()).toBe(line.timestamp);
  });

  it('chooses the level by environment, LOG_LEVEL winning', () => {
    const saved = process.env.LOG_LEVEL;
    delete process.env.LOG_LEVEL;
    try {
      expect(defaultLogLevel('development')).toBe('debug');
      expect(defaultLogLevel('production')).toBe('info');
      process.env.LOG_LEVEL = 'warn';
      expect(defaultLogLevel('development')).toBe('warn');
      const dest = memoryDestination();
      createLogger({ service: 's', environment: 'development', destination: dest }).info('dropped at warn');
      expect(dest.lines).toHaveLength(0);
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });

  it('redacts authorization headers, cookies, passwords, tokens and connection strings by default', () => {
    const dest = memoryDestination();
    const logger = createLogger({ service: 's', environment: 'test', destination: dest });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', 'user-agent': 'curl' } },
        user: { name: 'ann', password: 'hunter2' },
        token: 'tok-123456',
        db: 'postgres://app:hunter2@db.internal:5432/app',
      },
      'connecting to redis://:pw123456@cache:6379 failed',
    );
    const raw = JSON.stringify(dest.lines[0]);
    for (const secret of ['abc.def.ghi', 'sid=1', 'hunter2', 'tok-123456', 'db.internal', 'pw123456']) expect(raw).not.toContain(secret);
    expect(raw).toContain('curl');
    expect(raw).toContain('"name":"ann"');
  });

  it('never mutates the objects it logs and applies extra redact paths', () => {
    const dest = memoryDestination();
    const logger = createLogger({ service: 's', environment: 'test', destination: dest, redact: ['card.number'] });
    const payload = { user: { Password: 'hunter2' }, card: { number: '4111111111111111', brand: 'visa' } };
    logger.info(payload, 'payment');
    expect(payload.user.Password).toBe('hunter2');
    expect(payload.card.number).toBe('4111111111111111');
    expect(dest.lines[0]).toMatchObject({ user: { Password: '[REDACTED]' }, card: { number: '[REDACTED]', brand: 'visa' } });
  });

  it('writes security events with log_type security', () => {
    const dest = memoryDestination();
    const security = createSecurityLogger(createLogger({ service: 's', environment: 'test', destination: dest }));
    security.event('suspicious_upload', { ip_address: '1.2.3.4' });
    expect(dest.lines[0]).toMatchObject({ level: 'warn', log_type: 'security', event_type: 'suspicious_upload', ip_address: '1.2.3.4' });
  });

  it('flush() runs as a shutdown cleanup hook and writes out buffered lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-log-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'app.log');
    const destination = pino.destination({ dest: file, sync: false, minLength: 8 * 1024 });
    await new Promise((r) => destination.once('ready', r));
    const logger = createLogger({ service: 's', environment: 'production', destination });
    for (let i = 0; i < 20; i++) logger.info({ i }, 'buffered line');
    expect(readFileSync(file, 'utf8')).toBe('');
    const shutdown = createShutdownCoordinator({ logger: false, exit: () => undefined, readinessDelayMs: 0 });
    shutdown.addHook('logger', () => logger.flush());
    const report = await shutdown.shutdown('test');
    expect(report.hooks).toEqual([expect.objectContaining({ name: 'logger', ok: true })]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(20);
    destination.end();
  });
});

describe('request logging', () => {
  it('Express: one line per request with context carried through async code, client IP via trusted proxy', async () => {
    const dest = memoryDestination();
    const context = createRequestContextStore();
    const logger = createLogger({ service: 'api', environment: 'production', destination: dest, context });
    const app = express();
    app.use(createExpressMiddleware({ logger, context, clientIp: { trustedProxies: ['loopback'] } }));
    app.get('/users/:id', async (req, res) => {
      context.setUserId(`user-${req.params.id}`);
      await new Promise((r) => setTimeout(r, 5));
      logger.info('loaded user');
      res.json({ ok: true });
    });
    app.get('/boom', (_req, res) => void res.status(503).end());
    const base = await listen(http.createServer(app));

    const res = await fetch(`${base}/users/9?debug=1`, { headers: { 'x-request-id': 'req-1', 'x-forwarded-for': '203.0.113.7', 'user-agent': 'vitest-agent' } });
    expect(res.headers.get('x-request-id')).toBe('req-1');
    await fetch(`${base}/boom`, { headers: { 'x-forwarded-for': '198.51.100.1' } });

    const handlerLine = dest.lines.find((l) => l.message === 'loaded user');
    expect(handlerLine).toMatchObject({ request_id: 'req-1', user_id: 'user-9' });
    const requestLine = dest.lines.find((l) => l.message === 'request completed');
    expect(requestLine).toMatchObject({
      level: 'info',
      request_id: 'req-1',
      user_id: 'user-9',
      method: 'GET',
      route: '/users/:id',
      path: '/users/9',
      status_code: 200,
      client_ip: '203.0.113.7',
      user_agent: 'vitest-agent',
    });
    expect(requestLine!.duration_ms as number).toBeGreaterThan(0);
    const failed = dest.lines.find((l) => l.message === 'request failed');
    expect(failed).toMatchObject({ level: 'error', status_code: 503, route: '/boom', client_ip: '198.51.100.1' });
    expect(failed!.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Fastify: request id in handler logs after body parsing; slow requests are warnings', async () => {
    const dest = memoryDestination();
    const context = createRequestContextStore();
    const logger = createLogger({ service: 'api', environment: 'production', destination: dest, context });
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(createFastifyPlugin({ logger, context, slowRequestMs: 0, responseTimeHeader: true }));
    app.post('/orders', async (req) => {
      logger.info({ body: req.body }, 'creating order');
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/orders`, { method: 'POST', body: JSON.stringify({ item: 'x', password: 'p4ss' }), headers: { 'content-type': 'application/json', 'x-request-id': 'rid-77', 'x-forwarded-for': '203.0.113.9' } });
    expect(res.headers.get('x-response-time')).toMatch(/ms$/);
    const inHandler = dest.lines.find((l) => l.message === 'creating order');
    expect(inHandler).toMatchObject({ request_id: 'rid-77', body: { item: 'x', password: '[REDACTED]' } });
    const slow = dest.lines.find((l) => l.message === 'slow request');
    // No trusted proxies configured: X-Forwarded-For is ignored.
    expect(slow).toMatchObject({ level: 'warn', slow: true, route: '/orders', status_code: 200, request_id: 'rid-77', client_ip: '127.0.0.1' });
  });

  it('Fastify: the request line leaves out the query string and scrubs credentials in the path', async () => {
    const raw: string[] = [];
    const logger = createLogger({ service: 'api', environment: 'production', destination: { write: (s: string) => void raw.push(s) } });
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(createFastifyPlugin({ logger }));
    app.get('/users/:id', async () => ({ ok: true }));
    app.get('/reset/:token', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await fetch(`${base}/users/7?token=s3cr3t-q&password=hunter2&page=2`, { headers: { 'user-agent': 'agent api_key=k3y-in-agent' } });
    await fetch(`${base}/reset/password=p4th-secret`);
    expect(raw).toHaveLength(2);
    const [query, inPath] = raw.map((l) => JSON.parse(l) as Line);
    expect(query).toMatchObject({ message: 'request completed', route: '/users/:id', path: '/users/7', status_code: 200 });
    expect(inPath).toMatchObject({ route: '/reset/:token', path: '/reset/password=[REDACTED]' });
    for (const secret of ['s3cr3t-q', 'hunter2', 'page=2', 'k3y-in-agent', 'p4th-secret']) expect(raw.join('')).not.toContain(secret);
  });

  it('a logger without the hand-built line (child logger) also writes only the request\'s own context', async () => {
    const dest = memoryDestination();
    const context = createRequestContextStore();
    const logger = createLogger({ service: 'api', environment: 'production', destination: dest, context }).child({ component: 'http' });
    // The response finishes inside another request's context, as can happen on a reused connection.
    const handler = instrumentNodeHandler((_req, res) => void context.run({ request_id: 'other', user_id: 'someone-else' }, () => res.end('hi')), {
      logger,
      context,
      routes: ['/hello'],
    });
    const base = await listen(http.createServer(handler));
    await fetch(`${base}/hello`, { headers: { 'x-request-id': 'mine' } });
    const line = dest.lines.find((l) => l.message === 'request completed');
    expect(line).toMatchObject({ request_id: 'mine', component: 'http', route: '/hello' });
    expect(line).not.toHaveProperty('user_id');
  });

  it('node:http: a generated request id, no slow warning under the threshold', async () => {
    const dest = memoryDestination();
    const context = createRequestContextStore();
    const logger = createLogger({ service: 'api', environment: 'production', destination: dest, context });
    const base = await listen(http.createServer(instrumentNodeHandler((_req, res) => res.end('hi'), { logger, context, routes: ['/hello'] })));
    const res = await fetch(`${base}/hello`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(dest.lines).toEqual([expect.objectContaining({ level: 'info', message: 'request completed', route: '/hello', request_id: id })]);
  });
});
