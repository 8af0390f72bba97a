import type { StatusPageConfig } from './config.js';
import { worseStatus, type ServiceStatus } from './health.js';
import type { PublicIncidentView } from './incidents.js';
import type { UptimeDay } from './rollup.js';

/** One day's bar of a service. */
export interface PublicUptimeDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly date: string;
  /** Percentage of successful checks, floored to 2 decimals (never 100 with a failure); null = no data. */
  readonly uptime: number | null;
  readonly checks: number;
  /** Minutes in confirmed (partial or major) outage, 1 decimal. */
  readonly downtime_minutes: number;
}

/** One service on the public page. */
export interface PublicService {
  readonly name: string;
  readonly description?: string;
  readonly status: ServiceStatus;
  readonly status_text: string;
  /** Uptime over the days with data in the window; null when none. */
  readonly uptime_percent: number | null;
  /** The window's days, oldest first. */
  readonly days: readonly PublicUptimeDay[];
}

/**
 * What `/status` shows and `/api/public/status` returns: only configured names, states, percentages,
 * and public incident texts; never a probe target, host, port, label value or error message.
 */
export interface PublicStatus {
  readonly title: string;
  readonly description?: string;
  /** RFC 3339. */
  readonly generated_at: string;
  readonly status: { readonly indicator: ServiceStatus; readonly description: string };
  readonly services: readonly PublicService[];
  /** False when the uptime history could not be read (the bars then show no data). */
  readonly history_available: boolean;
  /** False when the incident source failed (then no incident is listed). */
  readonly incidents_available: boolean;
  /** Unresolved incidents, newest first. */
  readonly incidents: readonly PublicIncidentView[];
  /** Incidents resolved in the last days, newest first. */
  readonly recent_incidents: readonly PublicIncidentView[];
}

/** Human text of a service status. */
export const STATUS_TEXT: Readonly<Record<ServiceStatus, string>> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'No data yet',
};

const OVERALL_TEXT: Readonly<Record<ServiceStatus, string>> = {
  operational: 'All systems operational',
  degraded: 'Some systems degraded',
  partial_outage: 'Partial system outage',
  major_outage: 'Major system outage',
  unknown: 'Status not known yet',
};

/** Percentage of `part` in `whole`, floored to 2 decimals so any failure shows below 100. */
export function floorPercent(part: number, whole: number): number {
  return Math.floor((part / whole) * 10_000) / 100;
}

/** Inputs of {@link buildPublicStatus}. */
export interface PublicStatusInput {
  readonly config: StatusPageConfig;
  readonly nowMs: number;
  /** Current status per service name from the checks (before incidents). */
  readonly checkStatus: ReadonlyMap<string, ServiceStatus>;
  /** Uptime days per service name; undefined when the history could not be read. */
  readonly history: ReadonlyMap<string, readonly UptimeDay[]> | undefined;
  /** Public incidents; undefined when the source failed. */
  readonly incidents: readonly PublicIncidentView[] | undefined;
  /** Days in the window (to show "no data" days when the history is unavailable). */
  readonly dayList: readonly string[];
}

/**
 * Builds the public status: each service's state is the worse of its checks and its unresolved
 * incidents' impact; the overall state is the worst of all services and unresolved incidents.
 */
export function buildPublicStatus(input: PublicStatusInput): PublicStatus {
  const { config } = input;
  const current = (input.incidents ?? []).filter((i) => !i.resolved);
  const recent = (input.incidents ?? []).filter((i) => i.resolved);
  let overall: ServiceStatus = 'unknown';
  const inWindow = new Set(input.dayList);
  const services = config.services.map((s): PublicService => {
    let status = input.checkStatus.get(s.name) ?? 'unknown';
    for (const i of current) if (i.service === s.name) status = worseStatus(status, i.impact);
    overall = worseStatus(overall, status);
    const hist = input.history?.get(s.name);
    const byDate = new Map((hist ?? []).map((d) => [d.date, d]));
    const days = input.dayList.map((date): PublicUptimeDay => {
      const d = byDate.get(date);
      if (!d || d.checks === 0) return { date, uptime: null, checks: 0, downtime_minutes: d ? Math.round(d.downtimeMs / 6000) / 10 : 0 };
      return { date, uptime: floorPercent(d.successes, d.checks), checks: d.checks, downtime_minutes: Math.round(d.downtimeMs / 6000) / 10 };
    });
    let checks = 0;
    let ok = 0;
    for (const d of hist ?? []) {
      if (!inWindow.has(d.date)) continue;
      checks += d.checks;
      ok += d.successes;
    }
    return {
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      status,
      status_text: STATUS_TEXT[status],
      uptime_percent: checks > 0 ? floorPercent(ok, checks) : null,
      days,
    };
  });
  for (const i of current) overall = worseStatus(overall, i.impact);
  return {
    title: config.title,
    ...(config.description !== undefined ? { description: config.description } : {}),
    generated_at: new Date(input.nowMs).toISOString(),
    status: { indicator: overall, description: OVERALL_TEXT[overall] },
    services,
    history_available: input.history !== undefined,
    incidents_available: input.incidents !== undefined,
    incidents: current,
    recent_incidents: recent,
  };
}
