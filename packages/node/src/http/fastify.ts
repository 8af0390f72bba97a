import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions, type ObservedRequest } from './request-observer.js';
import { UNMATCHED_ROUTE } from './route-label.js';

/** A Fastify plugin function that applies to the whole app (not encapsulated). */
export type FastifyVigilPlugin = (app: FastifyInstance, opts: unknown, done: (err?: Error) => void) => void;

// The observed request rides on the raw response under a symbol: the `close` listener (one shared function, no
// closure per request) finds it there, and so do the preHandler and onSend hooks.
const OBSERVED = Symbol('vigil.observed');

interface ObservedResponse extends ServerResponse {
  /** The observation; its `source` is the Fastify reply (route, Content-Length). */
  [OBSERVED]?: ObservedRequest;
}

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
  // In flight, the route is resolved from the reply's request (scrape time); at the end, from the same.
  const observer = createRequestObserver(options, (reply: FastifyReply) => fastifyRouteOf(reply.request));
  const store = observer.context;
  const sizes = observer.recordsResponseSize;
  // Fastify's onResponse hook would do, but its hook runner costs more per request than all of Vigil's bookkeeping:
  // the raw response's `close` (after `finish`, or alone when the client went away: recorded as 499) is enough.
  function onClose(this: ObservedResponse): void {
    const observed = this[OBSERVED];
    if (!observed) return;
    const reply = observed.source as FastifyReply;
    observer.finish(observed, this.writableFinished ? this.statusCode : 499, fastifyRouteOf(reply.request), sizes ? contentLength(reply) : undefined);
  }
  const plugin: FastifyVigilPlugin = (app, _opts, done) => {
    app.addHook('onRequest', (request, reply, next) => {
      const observed = observer.start({
        method: request.raw.method,
        url: request.raw.url,
        rawHeaders: request.raw.rawHeaders,
        remoteAddress: request.raw.socket?.remoteAddress,
        source: reply,
      });
      const res = reply.raw as ObservedResponse;
      res[OBSERVED] = observed;
      res.on('close', onClose);
      reply.header(observer.requestIdHeader, observed.context.request_id);
      // `next` itself is the callback: no closure per request.
      if (store) store.run(observed.context, next);
      else next();
    });
    if (store) {
      // Body parsing runs on stream events outside the onRequest scope: re-enter the context for the handler.
      app.addHook('preHandler', (_request, reply, next) => {
        const observed = (reply.raw as ObservedResponse)[OBSERVED];
        if (observed) store.run(observed.context, next);
        else next();
      });
    }
    if (observer.responseTimeHeader) {
      app.addHook('onSend', (_request, reply, payload, next) => {
        const observed = (reply.raw as ObservedResponse)[OBSERVED];
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
