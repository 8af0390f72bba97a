import { createSystemClock, type AlertingClock, type TimerHandle } from '../alerting/clock.js';
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

/** A scrape target's latest result, as the scrape manager reports it (only what the page needs). */
export interface StatusTargetSample {
  readonly target: { readonly job: string; readonly labels: Readonly<Record<string, string>> };
  readonly health: 'up' | 'down' | 'unknown';
  /** Time of the last scrape (ms), 0 before the first. */
  readonly lastScrape: number;
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
  /** Current scrape targets, polled for services that list `targets`. */
  readonly targets?: () => readonly StatusTargetSample[];
  /** How often buffered uptime counts are written (default 60 s). */
  readonly flushIntervalMs?: number;
  /** How often scrape targets are polled (default 15 s). */
  readonly targetPollMs?: number;
  /** How long resolved incidents stay listed (default 7 days). */
  readonly recentIncidentsMs?: number;
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
  /** Sets or replaces the incident source (the incident service may start after the page). */
  setIncidentSource(source: PublicIncidentSource | undefined): void;
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

/** Creates the status page model and starts its flush (and target poll) timers. */
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
    tracker.observe(component, atMs, success, intervalMs);
    for (const s of services) {
      rollup.record(s.name, atMs, success);
      evaluate(s, atMs);
    }
  };

  const pollTargets = (): void => {
    if (!options.targets) return;
    const followed = cfg.services.filter((s) => s.targets.length > 0);
    if (followed.length === 0) return;
    let list: readonly StatusTargetSample[];
    try {
      list = options.targets();
    } catch (err) {
      onError('status page: cannot read scrape targets', err);
      return;
    }
    for (const t of list) {
      if (t.health === 'unknown' || t.lastScrape <= 0) continue;
      const instance = t.target.labels['instance'] ?? '';
      const key = targetKey(t.target.job, instance);
      const services = followed.filter((s) => s.targets.some((r) => r.job === t.target.job && (r.instance === undefined || r.instance === instance)));
      if (services.length === 0) continue;
      if ((targetSeen.get(key) ?? 0) >= t.lastScrape) continue;
      targetSeen.set(key, t.lastScrape);
      check(key, services, t.lastScrape, t.health === 'up', t.intervalMs);
    }
  };
  let pollTimer: TimerHandle | undefined;
  let closed = false;
  const schedulePoll = (): void => {
    if (closed || !options.targets) return;
    pollTimer = clock.setTimer(() => {
      pollTargets();
      schedulePoll();
    }, options.targetPollMs ?? 15_000);
  };
  schedulePoll();

  return {
    config: () => cfg,
    apply(next) {
      cfg = next;
      index();
    },
    observeProbe(event) {
      if (closed) return;
      const services = byProbe.get(event.probe.name);
      if (!services) return;
      check(probeKey(event.probe.name), services, event.at, event.result.success, event.probe.interval_ms);
    },
    setIncidentSource(source) {
      incidents = source;
    },
    async snapshot() {
      pollTargets();
      const now = clock.now();
      const names = cfg.services.map((s) => s.name);
      const checkStatus = new Map<string, ServiceStatus>();
      for (const s of cfg.services) checkStatus.set(s.name, serviceStatusOf(components(s).map((k) => tracker.state(k, now))));
      let history: Map<string, UptimeDay[]> | undefined;
      try {
        history = await rollup.history(names);
      } catch (err) {
        onError('status page: cannot read the uptime history', err);
      }
      let list: PublicIncidentView[] | undefined = [];
      if (incidents) {
        try {
          list = toPublicIncidents(await incidents.publicIncidents(), new Set(names), now - (options.recentIncidentsMs ?? 7 * DAY_MS));
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
      if (pollTimer) clock.clearTimer(pollTimer);
      await rollup.close();
    },
  };
}
