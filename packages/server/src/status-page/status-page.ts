import { createSystemClock, type AlertingClock } from '../alerting/clock.js';
import type { StateStore } from '../state/types.js';
import type { StatusPageConfig, StatusServiceConfig } from './config.js';
import { lastUtcDays, DAY_MS } from './day.js';
import { createHealthTracker, serviceStatusOf, type ServiceStatus } from './health.js';
import { toPublicIncidents, type PublicIncidentSource, type PublicIncidentView } from './incidents.js';
import { buildPublicStatus, type PublicStatus } from './public-status.js';
import { createUptimeRollup, UPTIME_WINDOW_DAYS, type UptimeDay } from './rollup.js';

/** A finished probe run, as the probe manager reports it (only what the page needs). */
export interface StatusProbeEvent {
  readonly probe: { readonly name: string; readonly interval_ms: number };
  readonly result: { readonly success: boolean };
  /** When it ran (ms since the epoch). */
  readonly at: number;
}

/** A finished scrape of a target, as the scrape manager reports it (only what the page needs). */
export interface StatusTargetEvent {
  readonly job: string;
  /** The target's `instance` label. */
  readonly instance: string;
  /** Whether the scrape succeeded (`up` 1). */
  readonly success: boolean;
  /** When it ran (ms since the epoch). */
  readonly at: number;
  readonly intervalMs: number;
}

/** Options of {@link createStatusPage}. */
export interface StatusPageOptions {
  readonly config: StatusPageConfig;
  /** Where the 90-day uptime rollup lives (migration namespace `status_page`). */
  readonly store: StateStore;
  /** Time and timers (default the system clock); tests pass a manual clock. */
  readonly clock?: Pick<AlertingClock, 'now' | 'setTimer' | 'clearTimer'>;
  /** Public incidents (the incident service); without it the page lists none. */
  readonly incidents?: PublicIncidentSource;
  /** How often buffered uptime counts are written (default 60 s). */
  readonly flushIntervalMs?: number;
  /** How long resolved incidents stay listed (default 7 days). */
  readonly recentIncidentsMs?: number;
  /** How long the view waits for the uptime history or the incident source before marking it unavailable (default 3 s). */
  readonly dependencyTimeoutMs?: number;
  /** Told about failures (store writes, incident source); the page keeps serving. */
  readonly onError?: (message: string, err: unknown) => void;
}

/**
 * The public status page's model: follows probe results and scrape targets, keeps each service's
 * confirmed state and its daily uptime rollup, and builds the public view with public incidents.
 */
export interface StatusPage {
  /** The config in effect. */
  config(): StatusPageConfig;
  /** Swaps the config (services, title, confirmation) after a reload; history is kept by service name. */
  apply(config: StatusPageConfig): void;
  /** Counts one probe run (wire it to the probe manager's `subscribe`). */
  observeProbe(event: StatusProbeEvent): void;
  /** Counts one scrape of a target (wire it to the scrape manager's `subscribe`); ignored unless a service follows it. */
  observeTarget(event: StatusTargetEvent): void;
  /** Sets or replaces the incident source (the incident service may start after the page). */
  setIncidentSource(source: PublicIncidentSource | undefined): void;
  /** A number that changes whenever a check, config or incident source changes what the view shows. */
  version(): number;
  /** The public view now. Never rejects: a failing store or incident source is marked unavailable. */
  snapshot(): Promise<PublicStatus>;
  /** Writes the buffered uptime counts now. */
  flush(): Promise<void>;
  /** Stops timers and writes what is buffered. */
  close(): Promise<void>;
}

const probeKey = (name: string): string => `probe:${name}`;
const targetKey = (job: string, instance: string): string => `target:${job}/${instance}`;
const isOutage = (s: ServiceStatus): boolean => s === 'partial_outage' || s === 'major_outage';

/** Creates the status page model and starts its flush timer. */
export async function createStatusPage(options: StatusPageOptions): Promise<StatusPage> {
  const clock = options.clock ?? createSystemClock();
  const onError = options.onError ?? (() => undefined);
  const rollup = await createUptimeRollup({
    store: options.store,
    clock,
    ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
    onError: (err) => onError('status page: cannot write the uptime rollup (kept for the next try)', err),
  });
  let cfg = options.config;
  let incidents = options.incidents;
  const tracker = createHealthTracker(cfg.confirm_failures);
  // Per service: whether it was in outage at its last evaluation, and up to when downtime is counted.
  const outage = new Map<string, { inOutage: boolean; accruedTo: number }>();
  const targetSeen = new Map<string, number>();
  let byProbe = new Map<string, StatusServiceConfig[]>();

  const index = (): void => {
    byProbe = new Map();
    const keep = new Set<string>();
    for (const s of cfg.services) {
      for (const p of s.probes) {
        byProbe.set(p, [...(byProbe.get(p) ?? []), s]);
        keep.add(probeKey(p));
      }
    }
    const names = new Set(cfg.services.map((s) => s.name));
    for (const n of outage.keys()) if (!names.has(n)) outage.delete(n);
    // Target components are kept while some service follows their job.
    const jobs = new Set(cfg.services.flatMap((s) => s.targets.map((t) => t.job)));
    for (const k of targetSeen.keys()) {
      const job = k.slice('target:'.length, k.indexOf('/'));
      if (jobs.has(job)) keep.add(k);
      else targetSeen.delete(k);
    }
    tracker.retain(keep);
    tracker.setConfirm(cfg.confirm_failures);
  };
  index();

  const components = (s: StatusServiceConfig): string[] => {
    const out = s.probes.map(probeKey);
    for (const k of targetSeen.keys()) {
      const rest = k.slice('target:'.length);
      const slash = rest.indexOf('/');
      const job = rest.slice(0, slash);
      const instance = rest.slice(slash + 1);
      if (s.targets.some((t) => t.job === job && (t.instance === undefined || t.instance === instance))) out.push(k);
    }
    return out;
  };

  const evaluate = (s: StatusServiceConfig, atMs: number): void => {
    const keys = components(s);
    const status = serviceStatusOf(keys.map((k) => tracker.state(k)));
    const prev = outage.get(s.name);
    if (prev?.inOutage && atMs > prev.accruedTo) rollup.addDowntime(s.name, prev.accruedTo, atMs);
    if (!prev?.inOutage && isOutage(status)) {
      // The outage began with the first failure of the streak that confirmed it, not at the confirmation.
      const starts = keys.filter((k) => tracker.state(k) === 'down').map((k) => tracker.failingSince(k) ?? atMs);
      const start = Math.max(Math.min(atMs, ...starts), prev?.accruedTo ?? -Infinity);
      if (atMs > start) rollup.addDowntime(s.name, start, atMs);
    }
    outage.set(s.name, { inOutage: isOutage(status), accruedTo: Math.max(atMs, prev?.accruedTo ?? atMs) });
  };

  const check = (component: string, services: readonly StatusServiceConfig[], atMs: number, success: boolean, intervalMs: number): void => {
    version++;
    tracker.observe(component, atMs, success, intervalMs);
    for (const s of services) {
      rollup.record(s.name, atMs, success);
      evaluate(s, atMs);
    }
  };

  // A stuck database or incident service must not hang the public page: it then shows "unavailable".
  const bounded = <T>(p: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const ms = options.dependencyTimeoutMs ?? 3_000;
      const timer = clock.setTimer(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      p.then(
        (v) => {
          clock.clearTimer(timer);
          resolve(v);
        },
        (err: unknown) => {
          clock.clearTimer(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });

  let closed = false;
  let version = 0;
  let unsubscribeIncidents: (() => void) | undefined = incidents?.subscribe?.(() => void version++);

  return {
    config: () => cfg,
    apply(next) {
      version++;
      cfg = next;
      index();
    },
    observeProbe(event) {
      if (closed) return;
      const services = byProbe.get(event.probe.name);
      if (!services) return;
      check(probeKey(event.probe.name), services, event.at, event.result.success, event.probe.interval_ms);
    },
    observeTarget(event) {
      if (closed) return;
      const services = cfg.services.filter((s) => s.targets.some((r) => r.job === event.job && (r.instance === undefined || r.instance === event.instance)));
      if (services.length === 0) return;
      const key = targetKey(event.job, event.instance);
      targetSeen.set(key, Math.max(event.at, targetSeen.get(key) ?? 0));
      check(key, services, event.at, event.success, event.intervalMs);
    },
    setIncidentSource(source) {
      version++;
      unsubscribeIncidents?.();
      unsubscribeIncidents = source?.subscribe?.(() => void version++);
      incidents = source;
    },
    version: () => version,
    async snapshot() {
      const now = clock.now();
      const names = cfg.services.map((s) => s.name);
      const checkStatus = new Map<string, ServiceStatus>();
      for (const s of cfg.services) checkStatus.set(s.name, serviceStatusOf(components(s).map((k) => tracker.state(k, now))));
      let history: Map<string, UptimeDay[]> | undefined;
      try {
        history = await bounded(rollup.history(names));
      } catch (err) {
        onError('status page: cannot read the uptime history', err);
      }
      let list: PublicIncidentView[] | undefined = [];
      if (incidents) {
        try {
          list = toPublicIncidents(await bounded(Promise.resolve(incidents.publicIncidents())), names, now - (options.recentIncidentsMs ?? 7 * DAY_MS));
        } catch (err) {
          onError('status page: cannot read public incidents', err);
          list = undefined;
        }
      }
      return buildPublicStatus({ config: cfg, nowMs: now, checkStatus, history, incidents: list, dayList: lastUtcDays(now, UPTIME_WINDOW_DAYS) });
    },
    flush: () => rollup.flush(),
    async close() {
      if (closed) return;
      closed = true;
      unsubscribeIncidents?.();
      await rollup.close();
    },
  };
}
