import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthEndpoints } from './endpoints.js';

/** Options shared by the health adapters. */
export interface HealthAdapterOptions {
  /** Path prefix the endpoints live under, e.g. `/api/v1` → `/api/v1/health/ready`. Default: none. */
  prefix?: string;
}

/**
 * A node:http request handler for the health endpoints: resolves true when it answered the request, false
 * when the path is not a health path (then it calls `next` if given, otherwise leaves the response alone).
 */
export type NodeHealthHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<boolean>;

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
export function createNodeHealthHandler(endpoints: HealthEndpoints, options: HealthAdapterOptions = {}): NodeHealthHandler {
  const prefix = normalizePrefix(options.prefix);
  return async (req, res, next) => {
    let url = req.url ?? '/';
    if (prefix) {
      if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
        next?.();
        return false;
      }
      url = url.slice(prefix.length) || '/';
    }
    let response;
    try {
      response = await endpoints.handle({ method: req.method ?? 'GET', url, headers: req.headers });
    } catch {
      response = { statusCode: 500, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: '{"status":"error"}' };
    }
    if (!response) {
      next?.();
      return false;
    }
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
    return true;
  };
}
