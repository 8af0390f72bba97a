import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { OVERFLOW_ROUTE } from '../http/route-label.js';
import { OTEL_HTTP_DURATION_BUCKETS, SIZE_BUCKETS } from './buckets.js';
import { canFoldHistograms, HistogramCell } from './histogram-cell.js';
import { createInFlightList } from './in-flight-list.js';
import { createSeriesGuard, type SeriesGuard, type WarnLogger } from './series-guard.js';
import type { TraceContextProvider } from './trace-context.js';

/** Options of {@link createHttpMetrics}. */
export interface HttpMetricsOptions {
  /** Registry the metrics are registered in (required: Vigil never uses prom-client's global registry). */
  registry: Registry;
  /** Duration buckets in seconds. Default: OpenTelemetry's recommended HTTP buckets ({@link OTEL_HTTP_DURATION_BUCKETS}). */
  buckets?: readonly number[];
  /** Per-route duration buckets, keyed by route template (`{ '/reports/:id': [1, 5, 30, 120] }`). */
  routeBuckets?: Readonly<Record<string, readonly number[]>>;
  /** Record `http_request_size_bytes` and `http_response_size_bytes` histograms (from Content-Length). Default false. */
  sizeHistograms?: boolean;
  /** Maximum series per metric; further label sets go to `route="<overflow>"`. Default 2000. */
  maxSeries?: number;
  /** Where the one-time cardinality warning goes. */
  logger?: WarnLogger;
  /** Supplies the active trace id for exemplars (see `openTelemetryTraceContext()`). Exemplars appear in OpenMetrics output. */
  traceContext?: TraceContextProvider;
}

/** One finished request, as the adapters report it. */
export interface HttpObservation {
  method: string;
  route: string;
  statusCode: number;
  durationSeconds: number;
  requestBytes?: number;
  responseBytes?: number;
}

/** A request in progress; its route may only become known later (Express matches routes while handling). */
export interface InFlightRequest {
  method: string;
  route(): string;
}

/** The RED metrics recorder shared by the node:http, Express and Fastify adapters. */
export interface HttpMetrics {
  /** True when request and response sizes are recorded (`sizeHistograms`). */
  readonly recordsSizes: boolean;
  /** Marks a request in flight until {@link HttpMetrics.end} is called with the same object. */
  begin(request: InFlightRequest): void;
  /** Records a finished request (and ends its in-flight entry when given). */
  end(observation: HttpObservation, request?: InFlightRequest): void;
  /** {@link HttpMetrics.end} with the observation's fields as arguments (the adapters' per-request path: no object). */
  record(
    method: string,
    route: string,
    statusCode: number,
    durationSeconds: number,
    requestBytes: number | undefined,
    responseBytes: number | undefined,
    request?: InFlightRequest,
  ): void;
}

const LABELS = ['method', 'route', 'status_code'] as const;
// prom-client keys series by label names in sorted order.
const SORTED_LABELS = [...LABELS].sort();

type HttpLabels = Record<(typeof LABELS)[number], string>;

/** One label set of the per-request metrics: its labels, and its pending duration observations (and request count). */
interface Series {
  labels: HttpLabels;
  histogram: Histogram<(typeof LABELS)[number]>;
  /** Pending observations, folded into the histogram and the counter at collect time; undefined when folding is unavailable. */
  cell: HistogramCell | undefined;
}

/**
 * Creates the HTTP RED metrics on a registry: `http_requests_total{method,route,status_code}`,
 * `http_request_duration_seconds{method,route,status_code}` (OpenTelemetry buckets, per-route overrides, exemplars
 * with the trace id when a trace context is supplied), `http_requests_in_flight{method,route}` and, opt-in,
 * `http_request_size_bytes` / `http_response_size_bytes`. Each metric keeps at most `maxSeries` label sets; beyond
 * that, requests are recorded with `route="<overflow>"` and a warning is logged once.
 */
export function createHttpMetrics(options: HttpMetricsOptions): HttpMetrics {
  const { registry, traceContext } = options;
  const maxSeries = options.maxSeries ?? 2000;
  const exemplars = traceContext !== undefined;
  // Requests are counted on the request path in plain numbers (HistogramCell) and folded into prom-client when a
  // metric is collected: prom-client's inc()/observe() validate and hash the label set on every call.
  const fold = canFoldHistograms();
  const all: Series[] = [];
  const flush = () => {
    for (const s of all) {
      const cell = s.cell!;
      if (cell.count > 0) requests.inc(s.labels, cell.count);
      cell.fold();
    }
  };
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code.',
    labelNames: LABELS,
    registers: [registry],
    collect: fold ? flush : undefined,
  });
  const makeHistogram = (buckets: readonly number[]) =>
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code.',
      labelNames: LABELS,
      buckets: [...buckets],
      registers: [],
      enableExemplars: exemplars,
    });
  const duration = makeHistogram(options.buckets ?? OTEL_HTTP_DURATION_BUCKETS);
  if (fold) (duration as unknown as { collect?: () => void }).collect = flush;
  // Per-route bucket layouts live in unregistered histograms whose series are appended to the main family.
  const perRoute = new Map<string, Histogram<(typeof LABELS)[number]>>();
  for (const [route, buckets] of Object.entries(options.routeBuckets ?? {})) perRoute.set(route, makeHistogram(buckets));
  if (perRoute.size > 0) {
    // prom-client's get() and the renderer both go through getForPromString().
    const h = duration as unknown as { getForPromString(): Promise<{ values: unknown[] }> };
    const ownGet = h.getForPromString.bind(h);
    h.getForPromString = async () => {
      const main = await ownGet();
      for (const extra of perRoute.values()) {
        main.values.push(...(await (extra as unknown as typeof h).getForPromString()).values);
      }
      return main;
    };
  }
  // Registered by hand: prom-client refuses exemplar-enabled metrics on text-format registries, but Vigil renders
  // both formats itself.
  registry.registerMetric(duration);

  const active = createInFlightList();
  const inFlightGuard = createSeriesGuard('http_requests_in_flight', maxSeries, options.logger);
  const inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being handled right now, by method and route template.',
    labelNames: ['method', 'route'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of active.requests) {
        const route = r.route();
        const admitted = inFlightGuard.admit(`${r.method}\u0000${route}`) ? route : OVERFLOW_ROUTE;
        this.inc({ method: r.method, route: admitted });
      }
    },
  });
  void inFlight;

  let requestSize: Histogram<(typeof LABELS)[number]> | undefined;
  let responseSize: Histogram<(typeof LABELS)[number]> | undefined;
  if (options.sizeHistograms) {
    requestSize = new Histogram({ name: 'http_request_size_bytes', help: 'HTTP request body size in bytes (Content-Length).', labelNames: LABELS, buckets: [...SIZE_BUCKETS], registers: [registry] });
    responseSize = new Histogram({ name: 'http_response_size_bytes', help: 'HTTP response body size in bytes (Content-Length).', labelNames: LABELS, buckets: [...SIZE_BUCKETS], registers: [registry] });
  }

  // All four per-request metrics share label sets, so one guard bounds all of them.
  const guard: SeriesGuard = createSeriesGuard('http_requests_total', maxSeries, options.logger);
  // route -> method -> status code: the route and method strings are usually the same string objects on every request
  // (hashes cached), so a lookup builds no key string.
  const admitted = new Map<string, Map<string, Map<number, Series>>>();
  // Refused label sets share the overflow series of their method and status; they are not remembered individually.
  const overflow = new Map<string, Map<number, Series>>();

  const newSeries = (method: string, route: string, statusCode: number): Series => {
    const labels: HttpLabels = { method, route, status_code: String(statusCode) };
    const histogram = perRoute.get(route) ?? duration;
    const s: Series = { labels, histogram, cell: fold ? new HistogramCell(histogram, labels, SORTED_LABELS) : undefined };
    if (fold) all.push(s);
    return s;
  };
  const seriesOf = (method: string, route: string, statusCode: number): Series => {
    const byStatus = admitted.get(route)?.get(method);
    const known = byStatus?.get(statusCode);
    if (known) return known;
    if (!guard.admit(`${method}\u0000${route}\u0000${statusCode}`)) {
      let over = overflow.get(method);
      if (!over) overflow.set(method, (over = new Map()));
      let s = over.get(statusCode);
      if (!s) over.set(statusCode, (s = newSeries(method, OVERFLOW_ROUTE, statusCode)));
      return s;
    }
    const s = newSeries(method, route, statusCode);
    let byMethod = admitted.get(route);
    if (!byMethod) admitted.set(route, (byMethod = new Map()));
    let statuses = byMethod.get(method);
    if (!statuses) byMethod.set(method, (statuses = new Map()));
    statuses.set(statusCode, s);
    return s;
  };

  const metrics: HttpMetrics = {
    recordsSizes: options.sizeHistograms === true,
    begin(request) {
      active.add(request);
    },
    record(method, route, statusCode, durationSeconds, requestBytes, responseBytes, request) {
      if (request) active.delete(request);
      const s = seriesOf(method, route, statusCode);
      const { labels, cell } = s;
      if (cell) {
        const bucket = cell.observe(durationSeconds);
        if (exemplars) {
          const ids = traceContext();
          if (ids) cell.exemplar(bucket, durationSeconds, ids.traceId, ids.spanId);
        }
      } else {
        requests.inc(labels);
        if (exemplars) {
          const ids = traceContext();
          s.histogram.observe({ labels, value: durationSeconds, exemplarLabels: ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {} } as never);
        } else {
          s.histogram.observe(labels, durationSeconds);
        }
      }
      if (requestSize && requestBytes !== undefined) requestSize.observe(labels, requestBytes);
      if (responseSize && responseBytes !== undefined) responseSize.observe(labels, responseBytes);
    },
    end(o, request) {
      metrics.record(o.method, o.route, o.statusCode, o.durationSeconds, o.requestBytes, o.responseBytes, request);
    },
  };
  return metrics;
}
