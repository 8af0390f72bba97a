import { timingSafeEqual } from 'node:crypto';
import { createProcessMetricsSampler } from './process-metrics.js';
import type { HealthRegistry } from './registry.js';
import type { CheckResult, HealthReport, HealthStatus } from './types.js';

/** A framework-neutral view of an HTTP request, enough for the health endpoints. */
export interface HealthRequest {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Request target as received (path plus optional query string), relative to where the endpoints are mounted. */
  url: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Optional fast accessor for one header (lower-case name); adapters use it to avoid building `headers`. */
  header?: (name: string) => string | undefined;
}

/** A framework-neutral HTTP response produced by the health endpoints. */
export interface HealthResponse {
  /** 200 for healthy/degraded (or ready/alive/started), 503 for unhealthy, 401/405 for refused requests. */
  statusCode: number;
  /** Response headers (content type, `Cache-Control: no-store`, length). */
  headers: Record<string, string>;
  /** JSON body; empty for HEAD. */
  body: string;
}

/** Who may see `/health/detailed`: a bearer token, or a function deciding per request. */
export type DetailedAccess =
  { bearerToken: string } | ((request: HealthRequest) => boolean | Promise<boolean>);

/** Options of {@link createHealthEndpoints}. */
export interface HealthEndpointsOptions {
  /** The registry whose checks the endpoints report. */
  registry: HealthRegistry;
  /** Service version shown in `/health`. Default: `npm_package_version` or `0.0.0`. */
  version?: string;
  /** Environment shown in `/health`. Default: `NODE_ENV` or `development`. */
  environment?: string;
  /** Base path of the endpoints (relative to the adapter's prefix). Default `/health`. */
  basePath?: string;
  /** Restricts `/health/detailed` (401 otherwise). Default: public. */
  detailedAccess?: DetailedAccess;
  /** Clock in epoch ms for timestamps. Default `Date.now`. */
  now?: () => number;
}

/** The health endpoints, ready to be mounted by an adapter (node:http, Express, Fastify) or called directly. */
export interface HealthEndpoints {
  /**
   * Answers a request for one of the endpoints, or resolves `undefined` when the path is not one of them
   * (so the caller passes it on). Query strings and a trailing slash are ignored; HEAD gets headers only.
   * Answers synchronously when every needed result is cached (await it either way).
   */
  handle(request: HealthRequest): HealthResponse | undefined | Promise<HealthResponse | undefined>;
  /** The endpoint paths served, e.g. `['/health', '/health/detailed', '/health/ready', '/health/live', '/health/startup']`. */
  readonly paths: readonly string[];
  /** The registry reported on. */
  readonly registry: HealthRegistry;
}

type Kind = 'basic' | 'detailed' | 'ready' | 'live' | 'startup';

const READY_WORD: Record<HealthStatus, string> = {
  healthy: 'ready',
  degraded: 'degraded',
  unhealthy: 'not_ready',
};

function header(request: HealthRequest, name: string): string | undefined {
  if (request.header) return request.header(name);
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function tokenMatches(expected: string, authorization: string | undefined): boolean {
  if (!authorization) return false;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  const a = Buffer.from(match[1]!);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function dependencyView(r: CheckResult): Record<string, unknown> {
  const view: Record<string, unknown> = {
    status: r.status,
    response_time_ms: r.response_time_ms,
    last_check: r.last_check,
    critical: r.critical,
  };
  if (r.error !== undefined) view.error = r.error;
  if (r.observed_status !== r.status) view.observed_status = r.observed_status;
  if (r.details) view.details = r.details;
  return view;
}

/**
 * Creates the five health endpoints over a registry: `/health` (status, timestamp, version, environment,
 * uptime), `/health/detailed` (dependencies and process metrics, optionally restricted), `/health/ready`
 * (503 when a critical `ready` check is unhealthy, startup is incomplete, or shutdown began), `/health/live`
 * (the process only, plus checks tagged `live`) and `/health/startup` (503 until declared startup tasks
 * complete). Status 200 for healthy/degraded, 503 for unhealthy; every response has `Cache-Control: no-store`
 * and is `application/health+json` when the client accepts it, `application/json` otherwise.
 */
export function createHealthEndpoints(options: HealthEndpointsOptions): HealthEndpoints {
  const { registry } = options;
  const now = options.now ?? Date.now;
  const version = options.version ?? process.env.npm_package_version ?? '0.0.0';
  const environment = options.environment ?? process.env.NODE_ENV ?? 'development';
  const base = (options.basePath ?? '/health').replace(/\/+$/, '') || '';
  const sampleProcess = createProcessMetricsSampler();
  const access = options.detailedAccess;
  const routes = new Map<string, Kind>([
    [base || '/', 'basic'],
    [`${base}/detailed`, 'detailed'],
    [`${base}/ready`, 'ready'],
    [`${base}/live`, 'live'],
    [`${base}/startup`, 'startup'],
  ]);

  async function allowedDetailed(request: HealthRequest): Promise<boolean> {
    if (!access) return true;
    if (typeof access === 'function') {
      try {
        return (await access(request)) === true;
      } catch {
        return false;
      }
    }
    return tokenMatches(access.bearerToken, header(request, 'authorization'));
  }

  const TAGS: Record<Kind, readonly string[] | undefined> = {
    basic: undefined,
    detailed: undefined,
    ready: ['ready'],
    live: ['live'],
    startup: ['startup'],
  };

  function body(
    kind: Kind,
    report: HealthReport,
    timestamp: string,
    uptime: number,
  ): [number, Record<string, unknown>, Record<string, string>?] {
    switch (kind) {
      case 'basic':
        return [
          report.status === 'unhealthy' ? 503 : 200,
          { status: report.status, timestamp, version, environment, uptime_seconds: uptime },
        ];
      case 'detailed': {
        const dependencies: Record<string, unknown> = {};
        for (const r of report.checks) dependencies[r.name] = dependencyView(r);
        return [
          report.status === 'unhealthy' ? 503 : 200,
          {
            status: report.status,
            timestamp,
            version,
            environment,
            dependencies,
            metrics: sampleProcess(),
          },
        ];
      }
      case 'ready': {
        const startup = registry.startupState();
        const checks: Record<string, string> = {};
        for (const r of report.checks)
          checks[r.name] =
            r.status === 'unhealthy' && !r.critical ? 'degraded' : READY_WORD[r.status];
        for (const name in startup.tasks) checks[name] = startup.tasks[name]!.state;
        const shuttingDown = registry.isShuttingDown();
        const ready = !shuttingDown && startup.started && report.status !== 'unhealthy';
        const out: Record<string, unknown> = {
          status: ready ? 'ready' : 'not_ready',
          timestamp,
          checks,
        };
        if (shuttingDown) out.reason = 'shutting_down';
        else if (!startup.started) out.reason = 'starting';
        return [ready ? 200 : 503, out];
      }
      case 'live': {
        const alive = report.status !== 'unhealthy';
        const out: Record<string, unknown> = {
          status: alive ? 'alive' : 'unhealthy',
          timestamp,
          uptime_seconds: uptime,
        };
        if (report.checks.length > 0)
          out.checks = Object.fromEntries(report.checks.map((r) => [r.name, r.status]));
        return [alive ? 200 : 503, out];
      }
      case 'startup': {
        const startup = registry.startupState();
        const started = startup.started && report.status !== 'unhealthy';
        const failed = Object.values(startup.tasks).some((t) => t.state === 'failed');
        const tasks = Object.fromEntries(
          Object.entries(startup.tasks).map(([n, t]) => [
            n,
            t.error ? { state: t.state, error: t.error } : t.state,
          ]),
        );
        const out: Record<string, unknown> = {
          status: started ? 'started' : failed ? 'failed' : 'starting',
          timestamp,
          tasks,
        };
        if (report.checks.length > 0)
          out.checks = Object.fromEntries(report.checks.map((r) => [r.name, r.status]));
        return [started ? 200 : 503, out];
      }
    }
  }

  // Probe bodies only change in their timestamp between result changes: keep the JSON around the timestamp
  // per endpoint and rebuild it only when the report, startup state, shutdown flag or uptime second changes.
  const TS = '@@vigil-timestamp@@';
  interface Memo {
    report: HealthReport;
    startup: unknown;
    shuttingDown: boolean;
    uptime: number;
    statusCode: number;
    before: string;
    after: string;
    extra?: Record<string, string>;
  }
  const memos = new Map<Kind, Memo>();

  function respond(
    kind: Kind,
    report: HealthReport,
    head: boolean,
    contentType: string,
  ): HealthResponse {
    const timestamp = new Date(now()).toISOString();
    const uptime = kind === 'basic' || kind === 'live' ? Math.round(process.uptime()) : 0;
    let statusCode: number;
    let text: string;
    let extra: Record<string, string> | undefined;
    if (kind === 'detailed') {
      const [code, payload, more] = body(kind, report, timestamp, uptime);
      statusCode = code;
      text = JSON.stringify(payload);
      extra = more;
    } else {
      const startup = registry.startupState();
      const shuttingDown = registry.isShuttingDown();
      let memo = memos.get(kind);
      if (
        !memo ||
        memo.report !== report ||
        memo.startup !== startup ||
        memo.shuttingDown !== shuttingDown ||
        memo.uptime !== uptime
      ) {
        const [code, payload, more] = body(kind, report, TS, uptime);
        const json = JSON.stringify(payload);
        const at = json.indexOf(TS);
        memo = {
          report,
          startup,
          shuttingDown,
          uptime,
          statusCode: code,
          before: json.slice(0, at),
          after: json.slice(at + TS.length),
          extra: more,
        };
        memos.set(kind, memo);
      }
      statusCode = memo.statusCode;
      text = memo.before + timestamp + memo.after;
      extra = memo.extra;
    }
    const headers: Record<string, string> = {
      'content-type': contentType,
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(text)),
    };
    if (extra) Object.assign(headers, extra);
    return { statusCode, headers, body: head ? '' : text };
  }

  function plain(
    statusCode: number,
    payload: Record<string, unknown>,
    contentType: string,
    extra?: Record<string, string>,
  ): HealthResponse {
    const text = JSON.stringify(payload);
    return {
      statusCode,
      headers: {
        'content-type': contentType,
        'cache-control': 'no-store',
        'content-length': String(Buffer.byteLength(text)),
        ...extra,
      },
      body: text,
    };
  }

  return {
    registry,
    paths: [...routes.keys()],
    handle(
      request: HealthRequest,
    ): HealthResponse | undefined | Promise<HealthResponse | undefined> {
      const target = request.url || '/';
      let end = target.length;
      const q = target.indexOf('?');
      if (q !== -1) end = q;
      const h = target.indexOf('#');
      if (h !== -1 && h < end) end = h;
      let path = end === target.length ? target : target.slice(0, end);
      if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
      const kind = routes.get(path);
      if (!kind) return undefined;
      const accept = header(request, 'accept');
      const contentType =
        accept !== undefined && accept.includes('application/health+json')
          ? 'application/health+json'
          : 'application/json; charset=utf-8';
      const method =
        request.method === 'GET' || request.method === 'HEAD'
          ? request.method
          : request.method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD')
        return plain(405, { status: 'method_not_allowed' }, contentType, { allow: 'GET, HEAD' });
      const head = method === 'HEAD';
      if (kind === 'detailed' && access) {
        return allowedDetailed(request).then(async (ok) =>
          ok
            ? respond(kind, await registry.run(), head, contentType)
            : plain(
                401,
                { status: 'unauthorized', timestamp: new Date(now()).toISOString() },
                contentType,
                { 'www-authenticate': 'Bearer realm="health"' },
              ),
        );
      }
      // Cached results answer synchronously; otherwise wait for the (single-flight, time-bounded) run.
      const cached = registry.peek(TAGS[kind]);
      if (cached) return respond(kind, cached, head, contentType);
      return registry
        .run({ tags: TAGS[kind] })
        .then((report) => respond(kind, report, head, contentType));
    },
  };
}
