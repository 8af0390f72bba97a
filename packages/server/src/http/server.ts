import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';

/** Options of `createHttpServer`. */
export interface HttpServerOptions {
  /** Plugins to register in order (Prometheus API, Alertmanager API v2, dashboard…). */
  readonly plugins: readonly FastifyPluginAsync[];
  /** Maximum request body (bytes); default 16 MiB. */
  readonly bodyLimit?: number;
}

/**
 * Creates the monitor's fastify server composing the given plugins; the caller listens on it.
 * Request logging is off (the monitor logs what matters itself).
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 16 * 1024 * 1024, forceCloseConnections: true });
  for (const p of options.plugins) await app.register(p);
  return app;
}
