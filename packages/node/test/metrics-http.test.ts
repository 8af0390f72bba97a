import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createExpressMiddleware,
  createFastifyPlugin,
  createHttpMetrics,
  createMetricsHandler,
  createMetricsRegistry,
  instrumentNodeHandler,
  renderExposition,
} from '@vigil/node';
import { until } from '@vigil/test-support';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function series(text: string, metric: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `));
}

describe('Express adapter', () => {
  it('labels by route template including nested router mounts, unmatched and _OTHER, and echoes request ids', async () => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry, sizeHistograms: true });
    const app = express();
    app.use(createExpressMiddleware({ metrics, responseTimeHeader: true }));
    const items = express.Router();
    items.get('/:itemId', (_req, res) => void res.json({ ok: true }));
    const api = express.Router();
    api.use('/items', items);
    api.get('/users/:id', (_req, res) => void res.status(201).send('u'));
    app.use('/api', api);
    app.get('/metrics', createMetricsHandler({ registry }).handle);
    const base = await listen(http.createServer(app));

    const r1 = await fetch(`${base}/api/users/42`, { headers: { 'x-request-id': 'abc-123' } });
    expect(r1.status).toBe(201);
    expect(r1.headers.get('x-request-id')).toBe('abc-123');
    expect(r1.headers.get('x-response-time')).toMatch(/^\d+\.\d{3}ms$/);
    await fetch(`${base}/api/users/43`);
    await fetch(`${base}/api/items/9`);
    const r404 = await fetch(`${base}/no/such/path-1`);
    expect(r404.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${base}/no/such/path-2`);
    await fetch(`${base}/api/users/44`, { method: 'PROPFIND' });

    const text = await (await fetch(`${base}/metrics`)).text();
    const totals = series(text, 'http_requests_total');
    expect(totals).toContain('http_requests_total{method="GET",route="/api/users/:id",status_code="201"} 2');
    expect(totals).toContain('http_requests_total{method="GET",route="/api/items/:itemId",status_code="200"} 1');
    expect(totals).toContain('http_requests_total{method="GET",route="<unmatched>",status_code="404"} 2');
    expect(totals.some((l) => l.includes('method="_OTHER"'))).toBe(true);
    expect(text).not.toContain('path-1');
    // Response sizes from the Content-Length Express set: 'u' twice.
    expect(text).toContain('http_response_size_bytes_sum{method="GET",route="/api/users/:id",status_code="201"} 2');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/users/:id",status_code="201"}');
    // The /metrics request itself is in flight while rendering.
    expect(series(text, 'http_requests_in_flight')).toContain('http_requests_in_flight{method="GET",route="/metrics"} 1');
  });
});

describe('Fastify plugin', () => {
  it('labels by routeOptions.url with prefixes, 404s as <unmatched>, sizes opt-in', async () => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry, sizeHistograms: true, routeBuckets: { '/v1/reports/:id': [1, 30, 120] } });
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(createFastifyPlugin({ metrics }));
    await app.register(
      async (scope) => {
        scope.get('/orders/:id', async () => ({ ok: true }));
        scope.get('/reports/:id', async () => 'r');
        scope.post('/orders', async (req, reply) => reply.code(202).send({ got: req.body }));
      },
      { prefix: '/v1' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const r = await fetch(`${base}/v1/orders/1`);
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${base}/v1/orders/2`);
    await fetch(`${base}/v1/orders`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    await fetch(`${base}/v1/reports/7`);
    await fetch(`${base}/wp-admin.php`);

    const text = await renderExposition(registry, 'text');
    const totals = series(text, 'http_requests_total');
    expect(totals).toContain('http_requests_total{method="GET",route="/v1/orders/:id",status_code="200"} 2');
    expect(totals).toContain('http_requests_total{method="POST",route="/v1/orders",status_code="202"} 1');
    expect(totals).toContain('http_requests_total{method="GET",route="<unmatched>",status_code="404"} 1');
    expect(text).toContain('http_request_size_bytes_sum{method="POST",route="/v1/orders",status_code="202"} 7');
    expect(text).toMatch(/http_response_size_bytes_count\{method="GET",route="\/v1\/orders\/:id",status_code="200"\} 2/);
    // Per-route buckets for the report route, default buckets elsewhere.
    expect(text).toContain('http_request_duration_seconds_bucket{le="30",method="GET",route="/v1/reports/:id",status_code="200"} 1');
    expect(text).not.toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/reports/:id"');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/orders/:id",status_code="200"}');
  });
});

describe('Fastify plugin over HTTP/2', () => {
  it('records requests and echoes the request id on an http2 server', async () => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry });
    const app = Fastify({ http2: true });
    closers.push(() => app.close());
    await app.register(createFastifyPlugin({ metrics }));
    app.get('/items/:id', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const session = http2.connect(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    closers.push(async () => void session.close());
    const ask = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; requestId: string }>((resolve, reject) => {
        const stream = session.request({ ':path': path, ...headers });
        stream.on('response', (h) => resolve({ status: Number(h[':status']), requestId: String(h['x-request-id']) }));
        stream.on('error', reject);
        stream.resume();
        stream.end();
      });
    expect(await ask('/items/1', { 'x-request-id': 'h2-abc' })).toEqual({ status: 200, requestId: 'h2-abc' });
    expect((await ask('/items/2')).requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const text = await until('both requests to be recorded', async () => {
      const t = await renderExposition(registry, 'text');
      return t.includes('http_requests_total{method="GET",route="/items/:id",status_code="200"} 2') && t;
    });
    expect(series(text, 'http_requests_in_flight').filter((l) => !l.endsWith(' 0'))).toEqual([]);
  });
});

/** A server with one route, `/slow/:id`, whose handler answers only after `held` resolves; returns its base URL. */
type SlowServer = (metrics: ReturnType<typeof createHttpMetrics>, held: Promise<void>) => Promise<string>;

const slowServers: [string, SlowServer][] = [
  [
    'Fastify',
    async (metrics, held) => {
      // The aborted fetch leaves its keep-alive socket to undici's timeout: close it with the server.
      const app = Fastify({ forceCloseConnections: true });
      closers.push(() => app.close());
      await app.register(createFastifyPlugin({ metrics }));
      app.get('/slow/:id', async () => {
        await held;
        return 'late';
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
  ],
  [
    'Express',
    async (metrics, held) => {
      const app = express();
      app.use(createExpressMiddleware({ metrics }));
      app.get('/slow/:id', (_req, res) => void held.then(() => res.send('late')));
      const server = http.createServer(app);
      const base = await listen(server);
      // Runs before the close pushed by listen(): the aborted fetch's keep-alive socket would hold it for seconds.
      closers.push(async () => void server.closeAllConnections());
      return base;
    },
  ],
  [
    'node:http',
    async (metrics, held) => {
      const server = http.createServer(instrumentNodeHandler((_req, res) => void held.then(() => res.end('late')), { metrics, routes: ['/slow/:id'] }));
      const base = await listen(server);
      closers.push(async () => void server.closeAllConnections());
      return base;
    },
  ],
];

describe('aborted requests', () => {
  it.each(slowServers)('%s: a request whose client went away is recorded once, as 499, and leaves in-flight', async (_name, makeServer) => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const base = await makeServer(metrics, held);

    const aborter = new AbortController();
    const pending = fetch(`${base}/slow/1`, { signal: aborter.signal }).catch((e: unknown) => e);
    await until('the request to be in flight', async () =>
      series(await renderExposition(registry, 'text'), 'http_requests_in_flight').includes('http_requests_in_flight{method="GET",route="/slow/:id"} 1'),
    );
    aborter.abort();
    expect(await pending).toBeInstanceOf(Error);
    const text = await until('the aborted request to be recorded', async () => {
      const t = await renderExposition(registry, 'text');
      return t.includes('http_requests_total{method="GET",route="/slow/:id",status_code="499"} 1') && t;
    });
    expect(series(text, 'http_requests_in_flight').filter((l) => !l.endsWith(' 0'))).toEqual([]);
    release();
    // The late reply finishes nothing twice: still one request recorded.
    await new Promise((r) => setTimeout(r, 50));
    expect(series(await renderExposition(registry, 'text'), 'http_requests_total')).toEqual(['http_requests_total{method="GET",route="/slow/:id",status_code="499"} 1']);
  });
});

describe('node:http adapter', () => {
  it('labels by route templates and serves /metrics with content negotiation and a bearer token', async () => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry });
    const metricsHandler = createMetricsHandler({ registry, bearerToken: 's3cret-token' });
    const handler = instrumentNodeHandler(
      (req, res) => {
        if (req.url === '/metrics') return metricsHandler.handle(req, res);
        res.statusCode = req.url?.startsWith('/users/') ? 200 : 404;
        res.end('x');
      },
      { metrics, routes: ['/users/:id', '/metrics'] },
    );
    const base = await listen(http.createServer(handler));
    await fetch(`${base}/users/1?x=2`);
    await fetch(`${base}/random-${Math.random()}`);

    const denied = await fetch(`${base}/metrics`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('Bearer');
    expect(await denied.text()).not.toContain('s3cret');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

    const auth = { authorization: 'Bearer s3cret-token' };
    const text = await fetch(`${base}/metrics`, { headers: auth });
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await text.text();
    expect(body).toContain('http_requests_total{method="GET",route="/users/:id",status_code="200"} 1');
    expect(body).toContain('http_requests_total{method="GET",route="<unmatched>",status_code="404"} 1');
    expect(body).not.toContain('# EOF');

    const om = await fetch(`${base}/metrics`, { headers: { ...auth, accept: 'application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const omBody = await om.text();
    expect(omBody.endsWith('# EOF\n')).toBe(true);
    expect(omBody).toContain('# TYPE http_requests counter');
    expect(omBody).toContain('http_requests_total{method="GET",route="/users/:id",status_code="200"} 1');
  });
});

describe('series cap', () => {
  it('100,000 distinct raw paths do not create 100,000 series', async () => {
    const registry = createMetricsRegistry();
    const warnings: unknown[] = [];
    const metrics = createHttpMetrics({ registry, maxSeries: 500, logger: { warn: (o) => warnings.push(o) } });
    // A framework that (wrongly) hands raw paths as routes: the cap must hold.
    for (let i = 0; i < 100_000; i++) metrics.end({ method: 'GET', route: `/raw/${i}`, statusCode: 200, durationSeconds: 0.001 });
    const text = await renderExposition(registry, 'text');
    const totals = series(text, 'http_requests_total');
    expect(totals.length).toBe(501);
    expect(totals).toContain('http_requests_total{method="GET",route="<overflow>",status_code="200"} 99500');
    expect(series(text, 'http_request_duration_seconds_count').length).toBe(501);
    expect(warnings).toHaveLength(1);
  });

  it('distinct unmatched paths through a real server share one series', async () => {
    const registry = createMetricsRegistry();
    const metrics = createHttpMetrics({ registry });
    const app = express();
    app.use(createExpressMiddleware({ metrics }));
    const base = await listen(http.createServer(app));
    const agent = new http.Agent({ keepAlive: true });
    closers.push(async () => agent.destroy());
    for (let i = 0; i < 300; i++) {
      await new Promise<void>((resolve, reject) => {
        http.get(`${base}/scan/${i}/.env`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    }
    const totals = series(await renderExposition(registry, 'text'), 'http_requests_total');
    expect(totals).toEqual(['http_requests_total{method="GET",route="<unmatched>",status_code="404"} 300']);
  });
});
