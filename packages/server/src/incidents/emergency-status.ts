import type { IncidentService } from './service.js';

/** An instant-vector sample as the emergency status reads PromQL results. */
export interface EmergencySample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Where `/emergency/status` reads its data (all optional: a missing source is reported as unknown). */
export interface EmergencySources {
  readonly incidents: IncidentService;
  /** Firing alerts (the alerting pipeline's current, unresolved, unsuppressed alerts). */
  readonly alerts?: () => readonly { readonly fingerprint: string; readonly labels: Readonly<Record<string, string>>; readonly startsAt: number; readonly suppressed: boolean }[];
  /** Evaluates an instant PromQL query now over the monitor's series store. */
  readonly query?: (expr: string) => readonly EmergencySample[];
  /** Scrape targets' health. */
  readonly targets?: () => readonly { readonly job: string; readonly health: 'up' | 'down' | 'unknown' }[];
  /** Probes' last results. */
  readonly probes?: () => readonly { readonly name: string; readonly success?: boolean }[];
  readonly now?: () => number;
}

/** One critical issue: an open critical incident, or a firing critical alert no open incident covers. */
export interface CriticalIssue {
  readonly type: 'incident' | 'alert';
  readonly title: string;
  readonly service: string;
  readonly since: string;
  readonly incident_id?: string;
  readonly status?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The `/emergency/status` body: guide 004's fields (`last_updated` kept beside `timestamp`). */
export interface EmergencyStatus {
  readonly status: 'emergency' | 'normal';
  readonly critical_issues: readonly CriticalIssue[];
  readonly error_rates: { readonly window: string; readonly overall_percent: number | null; readonly by_service: readonly { readonly service: string; readonly percent: number }[] };
  readonly response_times: {
    readonly window: string;
    readonly p50_ms: number | null;
    readonly p95_ms: number | null;
    readonly p99_ms: number | null;
    readonly by_service: readonly { readonly service: string; readonly p50_ms: number | null; readonly p95_ms: number | null; readonly p99_ms: number | null }[];
  };
  readonly system_health: {
    readonly status: 'healthy' | 'degraded' | 'unknown';
    readonly targets: { readonly up: number; readonly down: number; readonly unknown: number };
    readonly probes: { readonly up: number; readonly down: number; readonly unknown: number };
    readonly state_store: 'ok' | 'error';
    readonly firing_alerts: number;
  };
  readonly timestamp: string;
  readonly last_updated: string;
}

const WINDOW = '5m';
// The SDK's standard HTTP metrics (@vigil/node http-metrics): a 5xx ratio and latency quantiles per job.
const ERRORS_BY_JOB = `sum by (job) (rate(http_requests_total{status_code=~"5.."}[${WINDOW}])) / sum by (job) (rate(http_requests_total[${WINDOW}]))`;
const ERRORS_ALL = `sum(rate(http_requests_total{status_code=~"5.."}[${WINDOW}])) / sum(rate(http_requests_total[${WINDOW}]))`;
const quantile = (q: number, by: string) => `histogram_quantile(${q}, sum by (${by}) (rate(http_request_duration_seconds_bucket[${WINDOW}])))`;

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const round = (v: number | null, digits = 2): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/**
 * Computes guide 004's emergency status from real data: `critical_issues` are open critical incidents
 * and firing critical alerts no open incident covers (status `emergency` when there is any),
 * `error_rates` and `response_times` come from PromQL over the standard HTTP metrics (null when those
 * series do not exist), `system_health` from targets, probes and the state store.
 */
export async function computeEmergencyStatus(src: EmergencySources): Promise<EmergencyStatus> {
  const now = src.now?.() ?? Date.now();
  const issues: CriticalIssue[] = [];
  let storeOk = true;
  const covered = new Set<string>();
  try {
    for (const status of ['open', 'acknowledged'] as const) {
      for (const i of await src.incidents.list({ status, severity: 'critical', limit: 200 })) {
        issues.push({ type: 'incident', title: i.title, service: i.service, since: i.opened_at, incident_id: i.id, status: i.status });
      }
    }
    for (const i of issues) {
      const full = await src.incidents.get(i.incident_id!);
      for (const a of full.alerts) if (a.status === 'firing') covered.add(a.fingerprint);
    }
  } catch {
    storeOk = false;
  }
  const firing = (src.alerts?.() ?? []).filter((a) => !a.suppressed);
  for (const a of firing) {
    if ((a.labels.severity ?? '').toLowerCase() !== 'critical') continue;
    if (covered.has(a.fingerprint)) continue;
    issues.push({ type: 'alert', title: a.labels.alertname ?? 'alert', service: a.labels.service ?? a.labels.job ?? '', since: new Date(a.startsAt).toISOString(), labels: a.labels });
  }

  const q = (expr: string): readonly EmergencySample[] => {
    try {
      return src.query?.(expr) ?? [];
    } catch {
      return [];
    }
  };
  const errorsByJob = q(ERRORS_BY_JOB)
    .filter((s) => Number.isFinite(s.value))
    .map((s) => ({ service: s.labels.job ?? '', percent: round(s.value * 100)! }));
  const all = q(ERRORS_ALL)[0]?.value;
  const overallErr = round(finite(all === undefined ? undefined : all * 100));
  const ms = (v: number | undefined) => round(finite(v === undefined ? undefined : v * 1000), 1);
  const byJob = new Map<string, { p50_ms: number | null; p95_ms: number | null; p99_ms: number | null }>();
  for (const [key, quant] of [['p50_ms', 0.5], ['p95_ms', 0.95], ['p99_ms', 0.99]] as const) {
    for (const s of q(quantile(quant, 'job, le'))) {
      const job = s.labels.job ?? '';
      const cur = byJob.get(job) ?? { p50_ms: null, p95_ms: null, p99_ms: null };
      byJob.set(job, { ...cur, [key]: ms(s.value) });
    }
  }
  const overall = (quant: number) => ms(q(quantile(quant, 'le'))[0]?.value);

  const count = <T>(list: readonly T[], up: (t: T) => boolean | undefined) => {
    const out = { up: 0, down: 0, unknown: 0 };
    for (const t of list) {
      const u = up(t);
      out[u === undefined ? 'unknown' : u ? 'up' : 'down']++;
    }
    return out;
  };
  const targets = count(src.targets?.() ?? [], (t) => (t.health === 'unknown' ? undefined : t.health === 'up'));
  const probes = count(src.probes?.() ?? [], (p) => p.success);
  const health = !storeOk || targets.down > 0 || probes.down > 0 ? 'degraded' : targets.up + probes.up > 0 ? 'healthy' : 'unknown';
  const ts = new Date(now).toISOString();
  return {
    status: issues.length > 0 ? 'emergency' : 'normal',
    critical_issues: issues,
    error_rates: { window: WINDOW, overall_percent: overallErr, by_service: errorsByJob },
    response_times: { window: WINDOW, p50_ms: overall(0.5), p95_ms: overall(0.95), p99_ms: overall(0.99), by_service: [...byJob].map(([service, v]) => ({ service, ...v })) },
    system_health: { status: health, targets, probes, state_store: storeOk ? 'ok' : 'error', firing_alerts: firing.length },
    timestamp: ts,
    last_updated: ts,
  };
}
