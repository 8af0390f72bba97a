import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { negotiateExposition, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../http/negotiate.js';
import { renderExposition } from './exposition.js';

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /** The prom-client registry to expose (yours, or one from `createMetricsRegistry()`). */
  registry: Registry;
  /** When set, requests must send `Authorization: Bearer <token>`; others get 401. Never logged or echoed. */
  bearerToken?: string;
}

/** A framework-neutral `/metrics` response. */
export interface MetricsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The `/metrics` endpoint: a node:http/Express handler plus a framework-neutral `respond()`. */
export interface MetricsHandler {
  /** Builds the response for the given `Accept` and `Authorization` header values. */
  respond(accept: string | undefined, authorization: string | undefined): Promise<MetricsResponse>;
  /** node:http / Express handler: `app.get('/metrics', metrics.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

function tokenMatches(expected: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Creates the `GET /metrics` endpoint: Prometheus text 0.0.4 by default, OpenMetrics 1.0 (with exemplars and
 * `# EOF`) when the `Accept` header asks for `application/openmetrics-text`; optional bearer-token protection
 * (401 with `WWW-Authenticate: Bearer`, compared in constant time). A failing collector gives 500 with a generic body.
 *
 * @example
 * const metrics = createMetricsHandler({ registry });
 * http.createServer((req, res) => req.url === '/metrics' ? metrics.handle(req, res) : app(req, res));
 */
export function createMetricsHandler(options: MetricsHandlerOptions): MetricsHandler {
  const { registry } = options;
  const expected = options.bearerToken ? Buffer.from(options.bearerToken) : undefined;
  const respond = async (accept: string | undefined, authorization: string | undefined): Promise<MetricsResponse> => {
    if (expected && !tokenMatches(expected, authorization)) {
      return {
        status: 401,
        headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' },
        body: JSON.stringify({ error: 'unauthorized' }),
      };
    }
    const format = negotiateExposition(accept);
    try {
      const body = await renderExposition(registry, format);
      return { status: 200, headers: { 'content-type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE }, body };
    } catch {
      return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'metrics collection failed' }) };
    }
  };
  return {
    respond,
    handle(req, res) {
      void respond(req.headers.accept, req.headers.authorization).then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : r.body);
      });
    },
  };
}
