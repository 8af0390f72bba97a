import type { Labels, MatrixSeries, PromqlEngine, Queryable } from '@vigil/engine';
import type { ApiAlert } from '../api/types.js';
import type { ProbeStatus } from '../probes/manager.js';
import type { TargetStatus } from '../scrape/manager.js';
import type { OverviewHistory } from './overview-history.js';
import type { ServiceDependency } from './types.js';
import { SIGNAL_NAMES, type IncidentFeed, type OverviewResponse, type OverviewService, type SignalName } from './types.js';

/** What `computeOverview` reads: the series store through the engine, and the live state of scrapes, probes, rules and incidents. */
export interface OverviewSources {
  readonly engine: PromqlEngine;
  readonly queryable: Queryable;
  /** Wall clock (ms). */
  readonly now: () => number;
  readonly targets: () => readonly TargetStatus[];
  readonly probes: () => readonly ProbeStatus[];
  readonly alerts: () => readonly ApiAlert[];
  readonly incidents?: IncidentFeed;
  /** A service's `/health/detailed` dependencies by its base URL (cached by the caller); undefined when unavailable. */
  readonly healthDetailed?: (baseUrl: string) => Promise<{ status: string; checks: ServiceDependency[] } | undefined>;
}

/** Options of one overview computation. */
export interface OverviewOptions {
  /** Chart window ending now (ms); default 1 h, at most 24 h. */
  readonly rangeMs?: number;
  /** Points per chart at most; default 120 (a chart card is about 450 px wide). */
  readonly maxPoints?: number;
  /** Settled chart points of earlier computations to reuse (see `createOverviewHistory`); without it every point is computed. */
  readonly history?: OverviewHistory;
}

/** The service a series belongs to: its `service` label, else its `job`. */
export function serviceOf(labels: Labels): string {
  return labels.service || labels.job || '';
}

// Each query is grouped by (service, job) once for all services, so the cost does not grow with a
// query per service; `{w}` is the rate window. The latency quantiles come from one bucket query
// (see `quantile`), not three histogram_quantile calls over the same buckets.
const QUERIES: Partial<Record<SignalName, string>> = {
  cpu_percent: 'max by (service, job) (cpu_usage_percent)',
  memory_percent: 'max by (service, job) (memory_usage_percent)',
  event_loop_utilization: 'max by (service, job) (nodejs_eventloop_utilization_ratio)',
};
// Request and 5xx rates come from one query by status code (split in code below), not two.
const REQUESTS_QUERY = 'sum by (service, job, status_code) (rate(http_requests_total[{w}]))';
const BUCKETS_QUERY = 'sum by (service, job, le) (rate(http_request_duration_seconds_bucket[{w}]))';
const QUANTILES: readonly [SignalName, number][] = [
  ['p50_seconds', 0.5],
  ['p95_seconds', 0.95],
  ['p99_seconds', 0.99],
];

/**
 * The q-quantile of one cumulative histogram (buckets sorted by upper bound, the last one +Inf),
 * with PromQL's histogram_quantile rules: linear interpolation inside the bucket the rank falls
 * in, the lower bound of the first bucket is 0, a rank in the +Inf bucket yields the highest
 * finite bound, and counts are made monotonic first. Null when there were no observations.
 */
export function quantile(q: number, les: readonly number[], counts: readonly number[]): number | null {
  const n = les.length;
  if (n < 2 || les[n - 1] !== Infinity) return null;
  const c = counts.slice();
  for (let i = 1; i < n; i++) if (c[i]! < c[i - 1]!) c[i] = c[i - 1]!;
  const total = c[n - 1]!;
  if (!(total > 0)) return null;
  const rank = q * total;
  let b = c.findIndex((x) => x >= rank);
  if (b < 0) b = n - 1;
  if (b === n - 1) return les[n - 2]!;
  if (b === 0 && les[0]! <= 0) return les[0]!;
  const start = b === 0 ? 0 : les[b - 1]!;
  const below = b === 0 ? 0 : c[b - 1]!;
  const inBucket = c[b]! - below;
  return inBucket > 0 ? start + (les[b]! - start) * ((rank - below) / inBucket) : les[b]!;
}

/** Rounds to 4 significant digits: charts cannot show more, and it shrinks the JSON by half. */
function round4(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  // Arithmetic, not toPrecision: this runs for every point of every chart.
  const scale = POW10[3 - Math.floor(Math.log10(Math.abs(v))) + 20];
  return scale === undefined ? v : Math.round(v * scale) / scale;
}
const POW10 = Array.from({ length: 41 }, (_, i) => 10 ** (i - 20));


function baseUrlOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Step (ms) for a window: at most `maxPoints` points, a multiple of 15 s. */
export function overviewStep(rangeMs: number, maxPoints: number): number {
  return Math.max(15_000, Math.ceil(rangeMs / maxPoints / 15_000) * 15_000);
}

/**
 * Computes the dashboard overview in one pass: the services found in scrape targets and probes
 * (named by their `service` label, else the target's job or the probe's name), each with its
 * health, the golden signals (request rate, 5xx error ratio, p50/p95/p99 latency, CPU, memory,
 * event-loop utilization) as latest values and aligned chart series from PromQL range queries over
 * the store, the firing and pending alerts, and the active incidents. A query or dependency that
 * fails leaves its part empty; it never fails the whole overview.
 *
 * @example
 * const o = await computeOverview({ engine, queryable: store, now: Date.now, targets: () => scrape.targets(), probes: () => probes.status(), alerts: () => rules.alerts() });
 */
export async function computeOverview(src: OverviewSources, options: OverviewOptions = {}): Promise<OverviewResponse> {
  const rangeMs = Math.min(Math.max(options.rangeMs ?? 3_600_000, 60_000), 86_400_000);
  const step = overviewStep(rangeMs, options.maxPoints ?? 120);
  // Points at multiples of the step (so settled points can be reused by the next overview, see
  // OverviewHistory), between the window's ends: the window ends now, so the newest point is the
  // current value, and starts `rangeMs` earlier.
  const end = src.now();
  const start = end - Math.floor(rangeMs / step) * step;
  const firstAligned = Math.ceil(start / step) * step;
  const lastAligned = Math.floor(end / step) * step;
  const head = start < firstAligned ? 1 : 0;
  const times = [...(head ? [start] : []), ...Array.from({ length: (lastAligned - firstAligned) / step + 1 }, (_, i) => firstAligned + i * step), ...(end > lastAligned ? [end] : [])].map((t) => t / 1000);
  const n = times.length;
  const indexOf = (t: number): number => (t >= end ? n - 1 : t <= start ? 0 : head + Math.round((t - firstAligned) / step));
  const window = `${Math.max(60_000, step) / 1000}s`;

  interface Acc { name: string; checks: boolean[]; up: number; total: number; probes: OverviewService['probes'][number][]; urls: string[]; series: Partial<Record<SignalName, (number | null)[]>> }
  const services = new Map<string, Acc>();
  const acc = (name: string): Acc => {
    let a = services.get(name);
    if (!a) services.set(name, (a = { name, checks: [], up: 0, total: 0, probes: [], urls: [], series: {} }));
    return a;
  };
  for (const t of src.targets()) {
    const a = acc(serviceOf(t.target.labels) || t.target.job);
    a.total++;
    if (t.health === 'up') a.up++;
    if (t.health !== 'unknown') a.checks.push(t.health === 'up');
    const base = baseUrlOf(t.target.url);
    if (base) a.urls.push(base);
  }
  // A probe without a `service` label belongs to the service scraped at the same origin, if any.
  const byOrigin = new Map<string, string>();
  for (const t of src.targets()) {
    const base = baseUrlOf(t.target.url);
    if (base && !byOrigin.has(base)) byOrigin.set(base, serviceOf(t.target.labels) || t.target.job);
  }
  for (const p of src.probes()) {
    const origin = p.config.type === 'http' ? baseUrlOf(p.config.target) : undefined;
    const a = acc(p.config.labels.service || (origin && byOrigin.get(origin)) || p.config.name);
    a.probes.push({ name: p.config.name, success: p.last ? p.last.success : null, duration_seconds: p.last ? p.last.durationSeconds : null, error: p.last?.error ?? '' });
    if (p.last) a.checks.push(p.last.success);
    if (p.config.type === 'http') {
      const base = baseUrlOf(p.config.target);
      // A probe names the service's own URL: prefer it over a scrape target's.
      if (base) a.urls.unshift(base);
    }
  }

  const range = (expr: string): { type: 'matrix'; series: readonly MatrixSeries[] } | undefined => {
    const q = expr.replaceAll('{w}', window);
    try {
      const at = (t: number): readonly MatrixSeries[] => {
        const v = src.engine.rangeQuery(src.queryable, q, t, t, step);
        return v.type === 'matrix' ? v.series : [];
      };
      let aligned: readonly MatrixSeries[];
      if (options.history) aligned = options.history.range(src.engine, src.queryable, q, firstAligned, lastAligned, step, end);
      else {
        const v = src.engine.rangeQuery(src.queryable, q, firstAligned, lastAligned, step);
        aligned = v.type === 'matrix' ? v.series : [];
      }
      return { type: 'matrix', series: [...(head ? at(start) : []), ...aligned, ...(end > lastAligned ? at(end) : [])] };
    } catch {
      // A failing query leaves its signal empty.
      return undefined;
    }
  };
  for (const name of SIGNAL_NAMES) {
    const expr = QUERIES[name];
    const value = expr ? range(expr) : undefined;
    if (value?.type !== 'matrix') continue;
    for (const s of value.series) {
      const svc = serviceOf(s.labels);
      if (!svc) continue;
      const a = acc(svc);
      const row = (a.series[name] ??= new Array<number | null>(n).fill(null));
      for (const p of s.points) {
        const i = indexOf(p.t);
        if (i < 0 || i >= n || !Number.isFinite(p.v)) continue;
        const cur = row[i];
        // Several jobs of one service: saturation shows the busiest.
        row[i] = cur === null || cur === undefined ? p.v : Math.max(cur, p.v);
      }
    }
  }

  const requests = range(REQUESTS_QUERY);
  if (requests?.type === 'matrix') {
    for (const s of requests.series) {
      const svc = serviceOf(s.labels);
      if (!svc) continue;
      const a = acc(svc);
      const all = (a.series.request_rate ??= new Array<number | null>(n).fill(null));
      const errors = (a.series.error_ratio ??= new Array<number | null>(n).fill(null));
      const is5xx = /^5\d\d$/.test(s.labels.status_code ?? '');
      for (const p of s.points) {
        const i = indexOf(p.t);
        if (i < 0 || i >= n || !Number.isFinite(p.v)) continue;
        all[i] = (all[i] ?? 0) + p.v;
        // error_ratio holds the 5xx rate here; it becomes a ratio below.
        if (is5xx) errors[i] = (errors[i] ?? 0) + p.v;
      }
    }
  }

  const buckets = range(BUCKETS_QUERY);
  if (buckets?.type === 'matrix') {
    // service → le → counts per step
    const bySvc = new Map<string, Map<number, Float64Array>>();
    for (const s of buckets.series) {
      const svc = serviceOf(s.labels);
      const le = Number(s.labels.le === '+Inf' ? Infinity : s.labels.le);
      if (!svc || Number.isNaN(le)) continue;
      let m = bySvc.get(svc);
      if (!m) bySvc.set(svc, (m = new Map()));
      let row = m.get(le);
      if (!row) m.set(le, (row = new Float64Array(n).fill(NaN)));
      for (const p of s.points) {
        const i = indexOf(p.t);
        if (i >= 0 && i < n && Number.isFinite(p.v)) row[i] = (Number.isNaN(row[i]!) ? 0 : row[i]!) + p.v;
      }
    }
    for (const [svc, m] of bySvc) {
      const les = [...m.keys()].sort((x, y) => x - y);
      const rows = les.map((le) => m.get(le)!);
      const a = acc(svc);
      const out = QUANTILES.map(([name]) => (a.series[name] = new Array<number | null>(n).fill(null)));
      const counts = new Array<number>(les.length);
      for (let i = 0; i < n; i++) {
        let any = false;
        for (let k = 0; k < les.length; k++) {
          const v = rows[k]![i]!;
          counts[k] = Number.isNaN(v) ? 0 : v;
          any ||= !Number.isNaN(v);
        }
        if (!any) continue;
        QUANTILES.forEach(([, q], j) => (out[j]![i] = quantile(q, les, counts)));
      }
    }
  }

  const alerts = [...src.alerts()];
  const alertCount = (svc: string, state: 'firing' | 'pending'): number => alerts.filter((x) => x.state === state && serviceOf(x.labels) === svc).length;

  const detailed = await Promise.all(
    [...services.values()].map(async (a) => {
      const base = a.urls[0];
      if (!base || !src.healthDetailed) return undefined;
      try {
        return await src.healthDetailed(base);
      } catch {
        return undefined;
      }
    }),
  );

  const out: OverviewService[] = [...services.values()].map((a, idx) => {
    const series = {} as Record<SignalName, (number | null)[]>;
    const signals = {} as Record<SignalName, number | null>;
    for (const name of SIGNAL_NAMES) series[name] = (a.series[name] ?? []).map((v) => (v === null ? null : round4(v)));
    // Error ratio = 5xx rate / all requests, where there were requests.
    const total = series.request_rate;
    const errors = series.error_ratio;
    series.error_ratio = total.length ? total.map((r, i) => (r === null ? null : r > 0 ? (errors[i] ?? 0) / r : 0)) : [];
    for (const name of SIGNAL_NAMES) {
      const row = series[name];
      let last: number | null = null;
      for (let i = row.length - 1; i >= 0; i--) if (row[i] !== null && row[i] !== undefined) { last = row[i]!; break; }
      signals[name] = last;
    }
    const deps = detailed[idx];
    const checks = [...a.checks];
    if (deps) checks.push(deps.status !== 'unhealthy');
    const passing = checks.filter(Boolean).length;
    const degradedDeps = deps !== undefined && deps.status === 'degraded';
    const health: OverviewService['health'] = checks.length === 0 ? 'unknown' : passing === 0 ? 'down' : passing < checks.length || degradedDeps ? 'degraded' : 'up';
    return {
      name: a.name,
      health,
      targets: { up: a.up, total: a.total },
      probes: a.probes,
      ...(deps ? { dependencies: deps } : {}),
      signals,
      series,
      alerts: { firing: alertCount(a.name, 'firing'), pending: alertCount(a.name, 'pending') },
    };
  });
  const rank = { down: 0, degraded: 1, unknown: 2, up: 3 } as const;
  out.sort((x, y) => rank[x.health] - rank[y.health] || x.name.localeCompare(y.name));

  let incidents: OverviewResponse['incidents'] = null;
  if (src.incidents) {
    try {
      const list = [...(await src.incidents.active())];
      incidents = { open: list.filter((i) => i.status === 'open').length, acknowledged: list.filter((i) => i.status === 'acknowledged').length, list };
    } catch {
      incidents = { open: 0, acknowledged: 0, list: [] };
    }
  }
  const firing = alerts.filter((x) => x.state === 'firing');
  const pending = alerts.filter((x) => x.state === 'pending');
  return {
    generated_at: new Date(src.now()).toISOString(),
    range: { start: start / 1000, end: end / 1000, step: step / 1000 },
    times,
    services: out,
    alerts: { firing: firing.length, pending: pending.length, list: [...firing, ...pending] },
    incidents,
  };
}
