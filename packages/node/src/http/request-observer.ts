import type { ServerResponse } from 'node:http';
// The module binding, not the global: `globalThis.performance` is an accessor, read again on every call.
import { performance } from 'node:perf_hooks';
import type { HttpMetrics, InFlightRequest } from '../metrics/http-metrics.js';
import type { TraceContextProvider } from '../metrics/trace-context.js';
import type { RequestContext, RequestContextStore } from '../logging/request-context.js';
import { REQUEST_LINE_LEVELS, requestLineWriterOf } from '../logging/request-line.js';
import { createClientIpResolver, type ClientIpOptions, type ClientIpResolver } from './client-ip.js';
import { readObservedHeaders, type ObservedHeaderValues } from './raw-headers.js';
import { createUuidGenerator } from './request-id.js';
import { normalizeMethod } from './route-label.js';

/** A pino-compatible logger for request lines. */
export interface RequestLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Options shared by the node:http, Express and Fastify adapters. */
export interface HttpInstrumentationOptions {
  /** RED metrics recorder from `createHttpMetrics()`; omit to log only. */
  metrics?: HttpMetrics;
  /** Logger for the one-line-per-request log; omit to record metrics only. */
  logger?: RequestLogger;
  /** Request context store: request_id, user_id, trace ids for every log line written while handling the request. */
  context?: RequestContextStore;
  /** Requests slower than this are logged as warnings, in ms. Default 2000. */
  slowRequestMs?: number;
  /** Set `X-Response-Time: <ms>ms` on responses. Default false. */
  responseTimeHeader?: boolean;
  /** Header that carries the request id in and out. Default `x-request-id`. */
  requestIdHeader?: string;
  /** Trusted proxies for the `client_ip` field. */
  clientIp?: ClientIpOptions;
  /** Supplies trace/span ids for the request context (see `openTelemetryTraceContext()`). */
  traceContext?: TraceContextProvider;
}

/** State of one request between start and finish (adapters' internal currency). */
export interface ObservedRequest extends InFlightRequest {
  start: number;
  context: RequestContext;
  path: string;
  remoteAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  userAgent: string | undefined;
  requestBytes: number | undefined;
  /** The request id when the observer generated it (no usable id came in), else undefined. */
  generatedRequestId: string | undefined;
  done: boolean;
}

/** Framework-neutral core of the HTTP adapters. */
export interface RequestObserver {
  readonly requestIdHeader: string;
  readonly responseTimeHeader: boolean;
  readonly context: RequestContextStore | undefined;
  /**
   * Starts observing a request (arguments rather than an object: this runs for every request).
   *
   * @param rawHeaders - the request's `rawHeaders` (read without building Node's lazy `headers` object)
   * @param source - passed to the observer's route resolver whenever the route is needed (in-flight scrape, finish)
   */
  start(method: string | undefined, url: string | undefined, rawHeaders: readonly string[], remoteAddress: string | undefined, source: unknown): ObservedRequest;
  elapsedMs(request: ObservedRequest): number;
  /**
   * Finishes `request` when `res` closes: after `finish` with the response's status code, or alone when the client
   * went away (recorded as 499). One listener function shared by all requests: no closure per request.
   */
  watch(res: ServerResponse, request: ObservedRequest): void;
  /** The request being watched on `res`, if any. */
  observedOf(res: ServerResponse): ObservedRequest | undefined;
}

/** Reads the Content-Length a response was sent with (the adapter knows where its framework keeps headers). */
export type ResponseContentLength = (res: ServerResponse, source: never) => unknown;

const OBSERVED = Symbol('vigil.observed');

interface WatchedResponse extends ServerResponse {
  [OBSERVED]?: Observed;
}

/** A Content-Length header value as a number of bytes, or undefined when absent or not a number. */
function bytesOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : undefined;
}

// A class, so requests share one hidden class and no closure is allocated per request.
class Observed implements ObservedRequest {
  start = performance.now();
  done = false;
  constructor(
    readonly method: string,
    readonly context: RequestContext,
    readonly path: string,
    readonly remoteAddress: string | undefined,
    readonly forwardedFor: string | string[] | undefined,
    readonly userAgent: string | undefined,
    readonly requestBytes: number | undefined,
    readonly generatedRequestId: string | undefined,
    private readonly resolveRoute: (source: unknown) => string,
    /** The adapter's handle on the request, as given to `start()` (what the route resolver receives). */
    readonly source: unknown,
  ) {}

  route(): string {
    return this.resolveRoute(this.source);
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Creates the shared request observer: assigns the request id (incoming `X-Request-Id` when it is a safe token of at
 * most 128 characters, else a UUID), tracks in-flight requests, and on finish records the RED metrics and writes
 * the request line (`method, route, path, status_code, duration_ms, client_ip, user_agent`; warn when slow, error on 5xx).
 */
export function createRequestObserver(
  options: HttpInstrumentationOptions,
  resolveRoute: (source: never) => string,
  responseContentLength: ResponseContentLength = (res) => res.getHeader('content-length'),
): RequestObserver {
  const { metrics, logger, context, traceContext } = options;
  const slowMs = options.slowRequestMs ?? 2000;
  const requestIdHeader = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const clientIp: ClientIpResolver = createClientIpResolver(options.clientIp);
  // Loggers from createLogger() take the request line as a hand-built string; any other logger gets an object.
  const lineWriter = requestLineWriterOf(logger);
  const newRequestId = createUuidGenerator();
  // Scratch space for the headers of the request being started (start() is synchronous).
  const headers: ObservedHeaderValues = { requestId: undefined, userAgent: undefined, contentLength: undefined, forwardedFor: undefined };
  const finish = (request: ObservedRequest, statusCode: number, route: string, responseBytes: number | undefined): void => {
    if (request.done) return;
    request.done = true;
    const end = performance.now();
    const ms = end - request.start;
    metrics?.record(request.method, route, statusCode, ms / 1000, request.requestBytes, responseBytes, request);
    if (!logger) return;
    const ip = clientIp(request.remoteAddress, request.forwardedFor);
    const durationMs = Math.round(ms * 1000) / 1000;
    const slow = statusCode < 500 && ms >= slowMs;
    if (lineWriter) {
      const level = statusCode >= 500 ? REQUEST_LINE_LEVELS.error : slow ? REQUEST_LINE_LEVELS.warn : REQUEST_LINE_LEVELS.info;
      const message = statusCode >= 500 ? 'request failed' : slow ? 'slow request' : 'request completed';
      if (lineWriter.write(level, message, request, route, statusCode, durationMs, ip, slow ? slowMs : undefined, end)) {
        return;
      }
    }
    // Every context field is named, unset ones as undefined, so a logger's context mixin cannot add those of whatever
    // request context is active when the response finishes.
    const { request_id, user_id, trace_id, span_id, ...otherContext } = request.context;
    const line = {
      request_id,
      user_id,
      trace_id,
      span_id,
      ...otherContext,
      method: request.method,
      route,
      path: request.path,
      status_code: statusCode,
      duration_ms: durationMs,
      client_ip: ip,
      user_agent: request.userAgent,
    };
    if (statusCode >= 500) logger.error(line, 'request failed');
    else if (slow) logger.warn({ ...line, slow: true, slow_threshold_ms: slowMs }, 'slow request');
    else logger.info(line, 'request completed');
  };
  const recordsSizes = metrics?.recordsSizes ?? false;
  function onClose(this: WatchedResponse): void {
    const request = this[OBSERVED];
    if (!request) return;
    finish(request, this.writableFinished ? this.statusCode : 499, request.route(), recordsSizes ? bytesOf(responseContentLength(this, request.source as never)) : undefined);
  }
  return {
    requestIdHeader,
    responseTimeHeader: options.responseTimeHeader ?? false,
    context,
    start(method, rawUrl, rawHeaders, remoteAddress, source) {
      readObservedHeaders(rawHeaders, requestIdHeader, headers);
      const incoming = headers.requestId;
      const generated = incoming && SAFE_REQUEST_ID.test(incoming) ? undefined : newRequestId();
      const ctx: RequestContext = { request_id: generated ?? incoming! };
      if (traceContext) {
        const ids = traceContext();
        if (ids) {
          ctx.trace_id = ids.traceId;
          ctx.span_id = ids.spanId;
        }
      }
      const url = rawUrl ?? '/';
      const q = url.indexOf('?');
      const length = headers.contentLength;
      const request = new Observed(
        normalizeMethod(method),
        ctx,
        q === -1 ? url : url.slice(0, q),
        remoteAddress,
        headers.forwardedFor,
        headers.userAgent,
        length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        generated,
        resolveRoute as (source: unknown) => string,
        source,
      );
      metrics?.begin(request);
      return request;
    },
    elapsedMs(request) {
      return performance.now() - request.start;
    },
    watch(res, request) {
      (res as WatchedResponse)[OBSERVED] = request as Observed;
      res.on('close', onClose);
    },
    observedOf(res) {
      return (res as WatchedResponse)[OBSERVED];
    },
  };
}

/** Formats a duration for `X-Response-Time`. */
export function formatResponseTime(ms: number): string {
  return `${ms.toFixed(3)}ms`;
}
