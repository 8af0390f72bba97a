import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions, type ObservedRequest } from './request-observer.js';
import { UNMATCHED_ROUTE } from './route-label.js';

/** A Fastify plugin function that applies to the whole app (not encapsulated). */
export type FastifyVigilPlugin = (app: FastifyInstance, opts: unknown, done: (err?: Error) => void) => void;

// A request decoration (declared up front) keeps Fastify's request objects on one hidden class.
const OBSERVED = 'vigilObserved';

type WithObserved = FastifyRequest & { [OBSERVED]?: ObservedRequest | null };

/** Route template of a Fastify request (`routeOptions.url`, prefixes included), or `<unmatched>` for 404s. */
export function fastifyRouteOf(request: FastifyRequest): string {
  if ((request as FastifyRequest & { is404?: boolean }).is404) return UNMATCHED_ROUTE;
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
}

function contentLength(reply: FastifyReply): number | undefined {
  const v = reply.getHeader('content-length');
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Creates a Fastify 5 plugin (also Fastify 4) for Vigil's RED metrics, request logging and request context. It
 * applies to every route of the app, whatever the plugin's registration scope; the route label is
 * `routeOptions.url` (prefixes included), `<unmatched>` for 404s.
 *
 * @example
 * await app.register(createFastifyPlugin({ metrics, logger, context }));
 * app.get('/metrics', (req, reply) => metricsHandler.respond(req.headers.accept, req.headers.authorization)
 *   .then((r) => reply.code(r.status).headers(r.headers).send(r.body)));
 */
export function createFastifyPlugin(options: HttpInstrumentationOptions): FastifyVigilPlugin {
  const observer = createRequestObserver(options, fastifyRouteOf);
  const store = observer.context;
  const plugin: FastifyVigilPlugin = (app, _opts, done) => {
    if (!app.hasRequestDecorator(OBSERVED)) app.decorateRequest(OBSERVED, null);
    app.addHook('onRequest', (request, reply, next) => {
      const observed = observer.start({
        method: request.raw.method,
        url: request.raw.url,
        headers: request.headers,
        remoteAddress: request.raw.socket?.remoteAddress,
        source: request,
      });
      (request as WithObserved)[OBSERVED] = observed;
      reply.header(observer.requestIdHeader, observed.context.request_id);
      // `next` itself is the callback: no closure per request.
      if (store) store.run(observed.context, next);
      else next();
    });
    if (store) {
      // Body parsing runs on stream events outside the onRequest scope: re-enter the context for the handler.
      app.addHook('preHandler', (request, _reply, next) => {
        const observed = (request as WithObserved)[OBSERVED];
        if (observed) store.run(observed.context, next);
        else next();
      });
    }
    if (observer.responseTimeHeader) {
      app.addHook('onSend', (request, reply, payload, next) => {
        const observed = (request as WithObserved)[OBSERVED];
        if (observed) reply.header('x-response-time', formatResponseTime(observer.elapsedMs(observed)));
        next(null, payload);
      });
    }
    app.addHook('onResponse', (request, reply, next) => {
      const observed = (request as WithObserved)[OBSERVED];
      if (observed) observer.finish(observed, reply.statusCode, fastifyRouteOf(request), contentLength(reply));
      next();
    });
    done();
  };
  // Same effect as fastify-plugin: hooks apply to the parent scope instead of an encapsulated child.
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'vigil-http';
  return plugin;
}
