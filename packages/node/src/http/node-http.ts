import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequestObserver, formatResponseTime, type HttpInstrumentationOptions, type ObservedRequest } from './request-observer.js';
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

const OBSERVED = Symbol('vigil.observed');

interface ObservedResponse extends ServerResponse {
  /** The observation; its `source` is the request. */
  [OBSERVED]?: ObservedRequest;
}

function contentLength(res: ServerResponse): number | undefined {
  const v = res.getHeader('content-length');
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

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
  const sizes = observer.recordsResponseSize;
  // The response's `close` comes after `finish`, or alone when the client went away (recorded as 499): one shared
  // listener, no closure per request.
  function onClose(this: ObservedResponse): void {
    const observed = this[OBSERVED];
    if (!observed) return;
    observer.finish(observed, this.writableFinished ? this.statusCode : 499, resolve(observed.source as IncomingMessage), sizes ? contentLength(this) : undefined);
  }
  return (req, res) => {
    const observed = observer.start({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, remoteAddress: req.socket.remoteAddress, source: req });
    res.setHeader(observer.requestIdHeader, observed.context.request_id);
    if (observer.responseTimeHeader) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        if (!this.headersSent) this.setHeader('x-response-time', formatResponseTime(observer.elapsedMs(observed)));
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.writeHead;
    }
    (res as ObservedResponse)[OBSERVED] = observed;
    res.on('close', onClose);
    if (observer.context) observer.context.run(observed.context, () => handler(req, res));
    else handler(req, res);
  };
}
