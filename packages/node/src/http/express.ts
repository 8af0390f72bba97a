import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions } from './request-observer.js';
import { UNMATCHED_ROUTE } from './route-label.js';

/** The parts of an Express request the middleware reads (Express 4 and 5). */
export interface ExpressRequestLike extends IncomingMessage {
  baseUrl?: string;
  originalUrl?: string;
  route?: { path?: unknown };
}

/** An Express-compatible middleware function. */
export type ExpressMiddleware = (req: ExpressRequestLike, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Route template of an Express request: `req.baseUrl + req.route.path` (nested routers), or `<unmatched>`. */
export function expressRouteOf(req: ExpressRequestLike): string {
  const route = req.route;
  if (!route || route.path === undefined) return UNMATCHED_ROUTE;
  const path = Array.isArray(route.path) ? route.path.map(String).join('|') : String(route.path);
  const full = `${req.baseUrl ?? ''}${path === '/' && req.baseUrl ? '' : path}`;
  return full || '/';
}

/**
 * Creates Express middleware (Express 5, and the same API on Express 4) for Vigil's RED metrics, request logging
 * and request context; mount it first with `app.use()`. The route label is the matched route template including
 * the mount paths of nested routers; unmatched requests are `<unmatched>`.
 *
 * @example
 * app.use(createExpressMiddleware({ metrics, logger, context }));
 * app.get('/metrics', metricsHandler.handle);
 */
export function createExpressMiddleware(options: HttpInstrumentationOptions): ExpressMiddleware {
  const observer = createRequestObserver(options, expressRouteOf);
  return (req, res, next) => {
    const observed = observer.start(req.method, req.originalUrl ?? req.url, req.rawHeaders, req.socket.remoteAddress, req);
    res.setHeader(observer.requestIdHeader, observed.context.request_id);
    if (observer.responseTimeHeader) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        if (!this.headersSent) this.setHeader('x-response-time', formatResponseTime(observer.elapsedMs(observed)));
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.writeHead;
    }
    observer.watch(res, observed);
    if (observer.context) observer.context.run(observed.context, () => next());
    else next();
  };
}
