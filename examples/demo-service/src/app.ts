/**
 * The Vigil demo service: a small HTTP API (users, orders, login) with Vigil health endpoints, checking a
 * real PostgreSQL and Redis when `DATABASE_URL` / `REDIS_URL` are set and degrading gracefully otherwise.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createHealthEndpoints,
  createHealthMetrics,
  createHealthRegistry,
  createHttpMetrics,
  createLogger,
  createMetricsHandler,
  createMetricsRegistry,
  createNodeHealthHandler,
  createPgPoolMetrics,
  createProcessMetrics,
  createRequestContextStore,
  createSecurityMonitor,
  defineCounter,
  diskSpaceCheck,
  instrumentNodeHandler,
  eventLoopDelayCheck,
  memoryCheck,
  postgresCheck,
  redactSecrets,
  redisCheck,
  type HealthRegistry,
  type LoggerFactoryOptions,
  type VigilLogger,
} from '@vigil/node';
import type { Registry } from 'prom-client';
import { createDemoStore, type DemoStore, type DemoUser } from './store.js';

/** Options of {@link startDemoService}; every field is optional. */
export interface DemoServiceOptions {
  /** Port to listen on; 0 picks a free one. Default: `PORT` or 3000. */
  port?: number;
  /** Interface to bind. Default `0.0.0.0` (reachable by probes); tests pass `127.0.0.1`. */
  host?: string;
  /** PostgreSQL connection string. Default `DATABASE_URL`; without one, data is kept in memory. */
  databaseUrl?: string;
  /** Redis URL for the user-list cache. Default `REDIS_URL`; without one, no cache. */
  redisUrl?: string;
  /** Bearer token that unlocks `/health/detailed`. Default `HEALTH_TOKEN`; unset means public. */
  healthToken?: string;
  /** Version shown by `/health`. Default `npm_package_version` or `0.1.0`. */
  version?: string;
  /** Environment shown by `/health`. Default `NODE_ENV` or `development`. */
  environment?: string;
  /** Log one JSON line per request (Vigil's request logger) on stdout. Default false. */
  logRequests?: boolean;
  /** Where log lines go (a pino destination). Default stdout. */
  logDestination?: LoggerFactoryOptions['destination'];
}

/** Route templates of the demo API: the `route` label of its HTTP metrics. */
export const DEMO_ROUTES = [
  '/',
  '/api/users',
  '/api/users/:id',
  '/api/orders',
  '/api/login',
  '/metrics',
  '/health',
  '/health/detailed',
  '/health/ready',
  '/health/live',
  '/health/startup',
] as const;

/** A running demo service. */
export interface DemoService {
  /** The HTTP server (hand it to a shutdown coordinator). */
  server: http.Server;
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Useful URLs to print. */
  urls: {
    api: string;
    metrics: string;
    health: string;
    detailed: string;
    ready: string;
    live: string;
    startup: string;
  };
  /** The health registry (add checks, subscribe to results). */
  registry: HealthRegistry;
  /** The prom-client registry served at `/metrics` (HTTP RED, process, health, pool, business metrics). */
  metrics: Registry;
  /** The service's structured logger (flush it on shutdown). */
  logger: VigilLogger;
  /** What is configured: `postgres`/`memory` storage, `redis`/`none` cache. */
  mode: { storage: 'postgres' | 'memory'; cache: 'redis' | 'none' };
  /** Stops the server and releases the pool, Redis client and checks. */
  close(): Promise<void>;
  /** Resources to close in a shutdown coordinator's hooks, in order. */
  cleanups: Array<{ name: string; run: () => Promise<void> }>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

async function readJson(
  req: http.IncomingMessage,
  limit = 64 * 1024,
): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'payload_too_large');
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'invalid_json');
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Starts the demo service and resolves once it listens. Health endpoints are at `/health`,
 * `/health/detailed`, `/health/ready`, `/health/live` and `/health/startup`; the API at `/api/users`,
 * `/api/users/:id`, `/api/orders` (GET, POST with a bearer token) and `/api/login` (POST).
 *
 * @example
 * const demo = await startDemoService({ port: 0, host: '127.0.0.1' });
 * console.log(demo.urls.health);
 * await demo.close();
 */
export async function startDemoService(options: DemoServiceOptions = {}): Promise<DemoService> {
  const port =
    options.port ??
    (process.env.PORT !== undefined && process.env.PORT !== '' ? Number(process.env.PORT) : 3000);
  const host = options.host ?? '0.0.0.0';
  const databaseUrl = options.databaseUrl ?? (process.env.DATABASE_URL || undefined);
  const redisUrl = options.redisUrl ?? (process.env.REDIS_URL || undefined);
  const healthToken = options.healthToken ?? (process.env.HEALTH_TOKEN || undefined);
  const secrets = [databaseUrl, redisUrl, healthToken].filter((s): s is string => Boolean(s));

  // Structured JSON logs carrying the request id; health transitions go through the same logger.
  const environment = options.environment ?? process.env.NODE_ENV ?? 'development';
  const context = createRequestContextStore();
  const logger = createLogger({
    service: 'vigil-demo',
    environment,
    context,
    destination: options.logDestination,
  });
  const registry = createHealthRegistry({ cacheTtlMs: 2000, defaultTimeoutMs: 1500, secrets, logger });
  const cleanups: DemoService['cleanups'] = [];

  let pool: import('pg').Pool | undefined;
  if (databaseUrl) {
    const pg = (await import('pg')).default;
    pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    registry.register(postgresCheck({ pool, timeoutMs: 1000 }));
    const p = pool;
    cleanups.push({ name: 'postgres-pool', run: () => p.end() });
  }
  let redis: import('ioredis').Redis | undefined;
  if (redisUrl) {
    const { Redis } = await import('ioredis');
    redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
    });
    redis.on('error', () => undefined);
    // The cache is optional: without it the service is degraded, not down.
    registry.register(redisCheck({ client: redis, critical: false, timeoutMs: 1000 }));
    const r = redis;
    cleanups.push({
      name: 'redis',
      run: async () => void (await r.quit().catch(() => r.disconnect())),
    });
  }
  registry.register(diskSpaceCheck({ path: process.cwd() }));
  registry.register(memoryCheck());
  registry.register(eventLoopDelayCheck());
  cleanups.push({ name: 'health-checks', run: () => registry.close() });

  const store: DemoStore = createDemoStore({ pool, redis });

  // Observability with @vigil/node: RED metrics per route template, process and health metrics, the pool
  // gauges, a business counter, JSON logs carrying the request id, and failed-login tracking.
  const metricsRegistry = createMetricsRegistry();
  createProcessMetrics({ registry: metricsRegistry });
  createHealthMetrics({ registry: metricsRegistry, health: registry });
  if (pool) createPgPoolMetrics({ registry: metricsRegistry, pool });
  const httpMetrics = createHttpMetrics({ registry: metricsRegistry, logger });
  const metricsEndpoint = createMetricsHandler({ registry: metricsRegistry });
  const ordersCreated = defineCounter({
    registry: metricsRegistry,
    name: 'orders_created_total',
    help: 'Orders created through the demo API.',
  });
  const security = createSecurityMonitor({
    registry: metricsRegistry,
    logger, // the monitor stamps its lines with log_type: "security" itself
  });
  cleanups.push({ name: 'logger', run: () => logger.flush() });
  let closed = false;
  const migrations = registry.startupTask('migrations');
  const migrate = async (): Promise<void> => {
    try {
      await store.migrate();
      migrations.complete();
    } catch {
      // Keep /health/startup at 503 and retry: the database may come up after the service.
      if (!closed) setTimeout(() => void migrate(), 2000).unref();
    }
  };
  await migrate();

  const endpoints = createHealthEndpoints({
    registry,
    version: options.version ?? process.env.npm_package_version ?? '0.1.0',
    environment: options.environment,
    detailedAccess: healthToken ? { bearerToken: healthToken } : undefined,
  });
  const health = createNodeHealthHandler(endpoints);
  const sessions = new Map<string, DemoUser>();

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/' && method === 'GET') {
      return send(res, 200, {
        service: 'vigil-demo',
        endpoints: DEMO_ROUTES.filter((r) => r !== '/' && !r.includes(':')),
      });
    }
    if (p === '/api/users' && method === 'GET') return send(res, 200, await store.listUsers());
    const userMatch = /^\/api\/users\/(\d+)$/.exec(p);
    if (userMatch && method === 'GET') {
      const user = await store.getUser(Number(userMatch[1]));
      return user ? send(res, 200, user) : send(res, 404, { error: 'not_found' });
    }
    if (p === '/api/login' && method === 'POST') {
      const body = await readJson(req);
      if (typeof body.email !== 'string' || typeof body.password !== 'string')
        return send(res, 400, { error: 'email_and_password_required' });
      const user = await store.verifyLogin(body.email, body.password);
      await security.recordLoginAttempt({
        ip: req.socket.remoteAddress ?? 'unknown',
        username: body.email,
        success: Boolean(user),
      });
      if (!user) return send(res, 401, { error: 'invalid_credentials' });
      context.setUserId(String(user.id));
      const token = randomBytes(24).toString('hex');
      sessions.set(token, user);
      return send(res, 200, { token, user });
    }
    if (p === '/api/orders' && method === 'GET') return send(res, 200, await store.listOrders());
    if (p === '/api/orders' && method === 'POST') {
      const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const user = auth ? sessions.get(auth[1]!) : undefined;
      if (!user) return send(res, 401, { error: 'unauthorized' });
      context.setUserId(String(user.id));
      const body = await readJson(req);
      const quantity = body.quantity ?? 1;
      if (typeof body.item !== 'string' || body.item.length === 0 || body.item.length > 200)
        return send(res, 400, { error: 'item_required' });
      if (
        typeof quantity !== 'number' ||
        !Number.isInteger(quantity) ||
        quantity < 1 ||
        quantity > 1000
      )
        return send(res, 400, { error: 'invalid_quantity' });
      const order = await store.createOrder(user.id, body.item, quantity);
      ordersCreated.inc({});
      return send(res, 201, order);
    }
    if (['/api/users', '/api/orders', '/api/login'].includes(p) || userMatch)
      return send(res, 405, { error: 'method_not_allowed' });
    return send(res, 404, { error: 'not_found' });
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      if (await health(req, res)) return;
      if ((req.url ?? '/').split('?')[0] === '/metrics') return metricsEndpoint.handle(req, res);
      await route(req, res);
    } catch (error) {
      if (error instanceof HttpError) return send(res, error.status, { error: error.code });
      logger.error(
        { err: redactSecrets(error instanceof Error ? error.message : String(error), { secrets }) },
        'request failed',
      );
      if (!res.headersSent) send(res, 500, { error: 'internal_error' });
      else res.destroy();
    }
  };
  const server = http.createServer(
    instrumentNodeHandler((req, res) => void handle(req, res), {
      metrics: httpMetrics,
      context,
      routes: DEMO_ROUTES,
      ...(options.logRequests ? { logger } : {}),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${address.port}`;
  return {
    server,
    url,
    urls: {
      api: `${url}/api/users`,
      metrics: `${url}/metrics`,
      health: `${url}/health`,
      detailed: `${url}/health/detailed`,
      ready: `${url}/health/ready`,
      live: `${url}/health/live`,
      startup: `${url}/health/startup`,
    },
    registry,
    metrics: metricsRegistry,
    logger,
    mode: { storage: pool ? 'postgres' : 'memory', cache: redis ? 'redis' : 'none' },
    cleanups,
    async close() {
      closed = true;
      registry.markShuttingDown();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      for (const c of [...cleanups].reverse()) await c.run().catch(() => undefined);
    },
  };
}
