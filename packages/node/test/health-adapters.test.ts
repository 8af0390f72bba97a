/**
 * The health endpoints mounted through each adapter (node:http, Express, Fastify) under a prefix, over real HTTP.
 */
import express from 'express';
import Fastify from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createHealthEndpoints } from '../src/health/endpoints.js';
import { createExpressHealthRouter } from '../src/health/express-adapter.js';
import { createFastifyHealthPlugin } from '../src/health/fastify-adapter.js';
import {
  createNodeHealthHandler,
  createNodeHealthListener,
} from '../src/health/node-http-adapter.js';
import { createHealthRegistry } from '../src/health/registry.js';

function endpoints() {
  const registry = createHealthRegistry({ logger: false });
  registry.register({ name: 'database', check: () => ({}) });
  registry.register({
    name: 'search',
    critical: false,
    check: () => ({ status: 'unhealthy', error: 'index offline' }),
  });
  return createHealthEndpoints({
    registry,
    version: '9.9.9',
    environment: 'test',
    detailedAccess: { bearerToken: 'tok-123456' },
  });
}

const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function nodeServer(): Promise<string> {
  const health = createNodeHealthHandler(endpoints(), { prefix: '/api/v1/' });
  const server = http.createServer(async (req, res) => {
    if (await health(req, res)) return;
    res.statusCode = 404;
    res.end('app 404');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function nodeListenerServer(): Promise<string> {
  const app = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.statusCode = 404;
    res.end('app 404');
  };
  const server = http.createServer(
    createNodeHealthListener(endpoints(), app, { prefix: '/api/v1' }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function expressServer(): Promise<string> {
  const app = express();
  app.use('/api/v1', createExpressHealthRouter(endpoints()));
  app.get('/api/v1/users', (_req, res) => {
    res.json([]);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fastifyServer(): Promise<string> {
  const app = Fastify();
  await app.register(createFastifyHealthPlugin(endpoints()), { prefix: '/api/v1' });
  app.get('/api/v1/users', async () => []);
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe.each([
  ['node:http', nodeServer],
  ['node:http listener', nodeListenerServer],
  ['express', expressServer],
  ['fastify', fastifyServer],
])('%s adapter under /api/v1', (name, start) => {
  it('serves every endpoint with the right status, headers and shapes', async () => {
    const base = await start();
    const basic = await fetch(`${base}/api/v1/health?verbose=1`);
    expect(basic.status).toBe(200);
    expect(basic.headers.get('cache-control')).toBe('no-store');
    expect(await basic.json()).toMatchObject({
      status: 'degraded',
      version: '9.9.9',
      environment: 'test',
    });

    const ready = await fetch(`${base}/api/v1/health/ready`, {
      headers: { accept: 'application/health+json' },
    });
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toMatch(/^application\/health\+json/);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ready', search: 'degraded' },
    });

    expect((await fetch(`${base}/api/v1/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/health/startup`)).status).toBe(200);

    const head = await fetch(`${base}/api/v1/health/ready`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    expect((await fetch(`${base}/api/v1/health/detailed`)).status).toBe(401);
    const detailed = await fetch(`${base}/api/v1/health/detailed`, {
      headers: { authorization: 'Bearer tok-123456' },
    });
    expect(detailed.status).toBe(200);
    const body = await detailed.json();
    expect(body.dependencies.search).toMatchObject({
      status: 'unhealthy',
      critical: false,
      error: 'index offline',
    });

    // Outside the prefix the health paths are not served; the app's own routes still work.
    const outside = await fetch(`${base}/health`);
    expect(outside.status).toBe(404);
    await outside.text();
    expect((await fetch(`${base}/api/v1/users`)).status).toBe(name.startsWith('node') ? 404 : 200);
  });
});
