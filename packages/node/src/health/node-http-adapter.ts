import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthEndpoints, HealthRequest, HealthResponse } from './endpoints.js';

/** Options shared by the health adapters. */
export interface HealthAdapterOptions {
  /** Path prefix the endpoints live under, e.g. `/api/v1` → `/api/v1/health/ready`. Default: none. */
  prefix?: string;
}

/**
 * A node:http request handler for the health endpoints: resolves true when it answered the request, false
 * when the path is not a health path (then it calls `next` if given, otherwise leaves the response alone).
 */
export type NodeHealthHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<boolean>;

/** A HealthRequest over an IncomingMessage that reads single headers from rawHeaders: touching `req.headers` builds the whole object, which probes never need. */
class NodeHealthRequest implements HealthRequest {
  readonly method: string;
  constructor(
    private readonly req: IncomingMessage,
    readonly url: string,
  ) {
    this.method = req.method ?? 'GET';
  }
  get headers(): IncomingMessage['headers'] {
    return this.req.headers;
  }
  header(name: string): string | undefined {
    const raw = this.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const key = raw[i]!;
      if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1];
    }
    return undefined;
  }
}

const RESOLVED_TRUE: Promise<true> = Promise.resolve(true);
const RESOLVED_FALSE: Promise<false> = Promise.resolve(false);

/**
 * Creates a complete node:http request listener: health paths are answered by the endpoints (synchronously
 * when results are cached), every other request goes to `app`. The fastest way to mount the endpoints.
 *
 * @example
 * http.createServer(createNodeHealthListener(createHealthEndpoints({ registry }), app)).listen(3000);
 */
export function createNodeHealthListener(
  endpoints: HealthEndpoints,
  app: (req: IncomingMessage, res: ServerResponse) => void,
  options: HealthAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createNodeHealthHandler(endpoints, options);
  return (req, res) => {
    void handler(req, res, () => app(req, res));
  };
}

/** Normalises a prefix to `''` or `/segment[/segment]` without a trailing slash. */
export function normalizePrefix(prefix: string | undefined): string {
  if (!prefix) return '';
  const p = `/${prefix}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return p === '/' ? '' : p;
}

/**
 * Creates a node:http handler serving the health endpoints under an optional prefix. Use it first in your
 * request listener: `if (await health(req, res)) return;`. It never throws; an internal failure answers 500.
 *
 * @example
 * const health = createNodeHealthHandler(createHealthEndpoints({ registry }), { prefix: '/api/v1' });
 * http.createServer(async (req, res) => { if (await health(req, res)) return; app(req, res); });
 */
export function createNodeHealthHandler(
  endpoints: HealthEndpoints,
  options: HealthAdapterOptions = {},
): NodeHealthHandler {
  const prefix = normalizePrefix(options.prefix);
  const write = (res: ServerResponse, response: HealthResponse): true => {
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
    return true;
  };
  const failed = (res: ServerResponse): true =>
    write(res, {
      statusCode: 500,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: '{"status":"error"}',
    });
  return (req, res, next) => {
    let url = req.url ?? '/';
    if (prefix) {
      if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
        next?.();
        return Promise.resolve(false);
      }
      url = url.slice(prefix.length) || '/';
    }
    const request = new NodeHealthRequest(req, url);
    let result: ReturnType<HealthEndpoints['handle']>;
    try {
      result = endpoints.handle(request);
    } catch {
      return RESOLVED_TRUE.then(() => failed(res));
    }
    if (result === undefined) {
      next?.();
      return RESOLVED_FALSE;
    }
    if (!(result instanceof Promise)) {
      write(res, result);
      return RESOLVED_TRUE;
    }
    return result.then(
      (response) => {
        if (response) return write(res, response);
        next?.();
        return false;
      },
      () => failed(res),
    );
  };
}
