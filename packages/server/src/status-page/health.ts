/** Public state of a service, best first; `unknown` when nothing has been checked yet. */
export type ServiceStatus = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'unknown';

/** State of one check source (a probe or a scrape target) after confirmation. */
export type ComponentState = 'up' | 'flaky' | 'down' | 'unknown';

/** How bad a status is, for "worse of" comparisons (unknown ranks below operational: any evidence beats it). */
export const STATUS_RANK: Readonly<Record<ServiceStatus, number>> = {
  unknown: -1,
  operational: 0,
  degraded: 1,
  partial_outage: 2,
  major_outage: 3,
};

/** The worse of two statuses. */
export function worseStatus(a: ServiceStatus, b: ServiceStatus): ServiceStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** Results remembered per component to tell an intermittent failure from a steady one. */
const RECENT = 10;

interface Tracked {
  recent: boolean[];
  consecutiveFailures: number;
  failingSince: number;
  lastAt: number;
  intervalMs: number;
}

/**
 * Confirmation of check results per component: a component is `down` after `confirm` consecutive
 * failures (one failed probe never flips the page), `flaky` when at least `confirm` of its last
 * ten results failed without being down now, `unknown` before its first result or when its
 * results stopped coming (three intervals plus 30 s), else `up`.
 */
export interface HealthTracker {
  observe(component: string, atMs: number, success: boolean, intervalMs: number): void;
  state(component: string, nowMs?: number): ComponentState;
  /** Start of the current failure streak of a down component. */
  failingSince(component: string): number | undefined;
  /** Drops every component not in `keep` (after a config change). */
  retain(keep: ReadonlySet<string>): void;
  setConfirm(confirm: number): void;
}

/** Creates a {@link HealthTracker} requiring `confirm` consecutive failures for `down`. */
export function createHealthTracker(confirm: number): HealthTracker {
  const items = new Map<string, Tracked>();
  let need = confirm;
  return {
    observe(component, atMs, success, intervalMs) {
      let t = items.get(component);
      if (!t) {
        t = { recent: [], consecutiveFailures: 0, failingSince: atMs, lastAt: atMs, intervalMs };
        items.set(component, t);
      }
      t.recent.push(success);
      if (t.recent.length > RECENT) t.recent.shift();
      if (success) t.consecutiveFailures = 0;
      else if (t.consecutiveFailures++ === 0) t.failingSince = atMs;
      t.lastAt = Math.max(t.lastAt, atMs);
      t.intervalMs = intervalMs;
    },
    state(component, nowMs) {
      const t = items.get(component);
      if (!t) return 'unknown';
      if (nowMs !== undefined && nowMs - t.lastAt > 3 * t.intervalMs + 30_000) return 'unknown';
      if (t.consecutiveFailures >= need) return 'down';
      return t.recent.filter((ok) => !ok).length >= need ? 'flaky' : 'up';
    },
    failingSince(component) {
      const t = items.get(component);
      return t && t.consecutiveFailures > 0 ? t.failingSince : undefined;
    },
    retain(keep) {
      for (const k of items.keys()) if (!keep.has(k)) items.delete(k);
    },
    setConfirm(confirm) {
      need = confirm;
    },
  };
}

/**
 * The status of a service from its components' states: no known component → unknown; all known
 * ones down → major outage; some down → partial outage; some flaky → degraded; else operational.
 */
export function serviceStatusOf(states: readonly ComponentState[]): ServiceStatus {
  const known = states.filter((s) => s !== 'unknown');
  if (known.length === 0) return 'unknown';
  const down = known.filter((s) => s === 'down').length;
  if (down === known.length) return 'major_outage';
  if (down > 0) return 'partial_outage';
  if (known.includes('flaky')) return 'degraded';
  return 'operational';
}
