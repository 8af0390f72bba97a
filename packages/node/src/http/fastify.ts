import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions } from './request-observer.js';
import { UNMATCHED_ROUTE } from './route-label.js';

/** A Fastify plugin function that applies to the whole app (not encapsulated). */
export type FastifyVigilPlugin = (app: FastifyInstance, opts: unknown, done: (err?: Error) => void) => void;

/** Route template of a Fastify request (`routeOptions.url`, prefixes included), or `<unmatched>` for 404s. */
export function fastifyRouteOf(request: FastifyRequest): string {
  if ((request as FastifyRequest & { is404?: boolean }).is404) return UNMATCHED_ROUTE;
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
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
  // The route comes from the reply's request, in flight (scrape time) and at the end. Fastify keeps its response
  // headers to itself until they are written: the Content-Length is read from the reply.
  const observer = createRequestObserver(
    options,
    (reply: FastifyReply) => fastifyRouteOf(reply.request),
    (_res, reply: FastifyReply) => reply.getHeader('content-length'),
  );
  const store = observer.context;
  const plugin: FastifyVigilPlugin = (app, _opts, done) => {
    app.addHook('onRequest', (request, reply, next) => {
      const raw = request.raw;
      const observed = observer.start(raw.method, raw.url, raw.rawHeaders, raw.socket?.remoteAddress, reply);
      // Finished on the raw response's `close` rather than in an onResponse hook: Fastify's hook runner costs more
      // per request than all of Vigil's bookkeeping, and `close` also reports clients that went away.
      observer.watch(reply.raw, observed);
      reply.header(observer.requestIdHeader, observed.context.request_id);
      // `next` itself is the callback: no closure per request.
      if (store) store.run(observed.context, next);
      else next();
    });
    if (store) {
      // Body parsing runs on stream events outside the onRequest scope: re-enter the context for the handler.
      app.addHook('preHandler', (_request, reply, next) => {
        const observed = observer.observedOf(reply.raw);
        if (observed) store.run(observed.context, next);
        else next();
      });
    }
    if (observer.responseTimeHeader) {
      app.addHook('onSend', (_request, reply, payload, next) => {
        const observed = observer.observedOf(reply.raw);
        if (observed) reply.header('x-response-time', formatResponseTime(observer.elapsedMs(observed)));
        next(null, payload);
      });
    }
    done();
  };
  // Same effect as fastify-plugin: hooks apply to the parent scope instead of an encapsulated child.
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'vigil-http';
  return plugin;
}
