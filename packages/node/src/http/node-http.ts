import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions } from './request-observer.js';
import { createRouteMatcher, UNMATCHED_ROUTE } from './route-label.js';

/** Options of {@link instrumentNodeHandler}. */
export interface NodeHttpInstrumentationOptions extends HttpInstrumentationOptions {
  /** Route templates matched against the path (`['/users/:id']`); the first match is the route label. */
  routes?: readonly string[];
  /** Custom route resolver (wins over `routes`); return `undefined` for unmatched. */
  route?: (req: IncomingMessage) => string | undefined;
}

/** A node:http request listener. */
export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps a node:http request listener with Vigil's RED metrics and request logging. The route label comes from
 * `route(req)` or the `routes` templates; anything else is `<unmatched>`. The request id is echoed in the response.
 *
 * @example
 * const handler = instrumentNodeHandler(app, { metrics, logger, context, routes: ['/users/:id'] });
 * http.createServer(handler).listen(3000);
 */
export function instrumentNodeHandler(handler: NodeRequestHandler, options: NodeHttpInstrumentationOptions): NodeRequestHandler {
  const matcher = options.routes ? createRouteMatcher(options.routes) : undefined;
  const resolve = (req: IncomingMessage): string => options.route?.(req) ?? matcher?.(req.url ?? '/') ?? UNMATCHED_ROUTE;
  const observer = createRequestObserver(options, resolve);
  return (req, res) => {
    const observed = observer.start(req.method, req.url, req.rawHeaders, req.socket.remoteAddress, req);
    res.setHeader(observer.requestIdHeader, observed.context.request_id);
    if (observer.responseTimeHeader) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        if (!this.headersSent) this.setHeader('x-response-time', formatResponseTime(observer.elapsedMs(observed)));
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.writeHead;
    }
    observer.watch(res, observed);
    if (observer.context) observer.context.run(observed.context, () => handler(req, res));
    else handler(req, res);
  };
}
