import type { HealthEndpoints } from './endpoints.js';
import { normalizePrefix, type HealthAdapterOptions } from './node-http-adapter.js';

// Structural slices of Fastify's types, so @vigil/node does not need fastify installed.
interface FastifyLikeRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}
interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload?: string): FastifyLikeReply;
}
interface FastifyLikeInstance {
  route(options: {
    method: string | string[];
    url: string;
    exposeHeadRoute?: boolean;
    handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown> | unknown;
  }): unknown;
}

/** A Fastify plugin function serving the health endpoints; register it with `app.register(plugin, { prefix })`. */
export type FastifyHealthPlugin = (
  instance: FastifyLikeInstance,
  options: Record<string, unknown>,
) => Promise<void>;

/**
 * Creates a Fastify plugin that adds the health routes (GET and HEAD). The prefix comes from Fastify's own
 * `register(plugin, { prefix: '/api/v1' })` or from `options.prefix`; query strings never affect routing.
 *
 * @example
 * await app.register(createFastifyHealthPlugin(createHealthEndpoints({ registry })), { prefix: '/api/v1' });
 */
export function createFastifyHealthPlugin(
  endpoints: HealthEndpoints,
  options: HealthAdapterOptions = {},
): FastifyHealthPlugin {
  const prefix = normalizePrefix(options.prefix);
  return async (instance) => {
    for (const path of endpoints.paths) {
      instance.route({
        method: ['GET', 'HEAD'],
        url: `${prefix}${path}`,
        exposeHeadRoute: false,
        handler: async (request, reply) => {
          const response = await endpoints.handle({
            method: request.method,
            url: path,
            headers: request.headers,
          });
          if (!response) return reply.code(404).send();
          const { 'content-length': _length, ...headers } = response.headers;
          return reply.code(response.statusCode).headers(headers).send(response.body);
        },
      });
    }
  };
}
