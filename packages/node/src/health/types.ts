/**
 * Plain types shared by the health registry, the endpoints and the built-in checks.
 */

/** The three health states, ordered from best to worst. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What a check function hands back; `status` defaults to `healthy`, a thrown error means `unhealthy`. */
export interface CheckOutcome {
  /** Observed status of the dependency (default `healthy`). */
  status?: HealthStatus;
  /** Extra figures worth showing in `/health/detailed` (pool sizes, days left...). Must not hold secrets. */
  details?: Record<string, unknown>;
  /** Why the check is not healthy; secrets are scrubbed before it is stored. */
  error?: string;
}

/** Context passed to every check run: `signal` aborts when the per-check timeout fires or the registry closes. */
export interface CheckContext {
  /** Aborted when the run's timeout elapses; clients that accept an AbortSignal should receive it. */
  signal: AbortSignal;
}

/** A check function: resolves to an outcome (or nothing, meaning healthy); throwing means unhealthy. */
export type CheckFunction = (
  context: CheckContext,
) => Promise<CheckOutcome | void> | CheckOutcome | void;

/**
 * Declaration of one named health check as given to `registry.register()`.
 * Only `name` and `check` are required; every other field has a documented default.
 */
export interface HealthCheckDefinition {
  /** Unique name, shown as the key under `dependencies` in `/health/detailed`. */
  name: string;
  /** The work to do. */
  check: CheckFunction;
  /** Unhealthy critical check → service unhealthy (and not ready); non-critical → service degraded. Default `true`. */
  critical?: boolean;
  /** Per-run timeout in ms; the wait ends then and the signal aborts. Default: the registry's `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Probes that include the check: `ready`, `live`, `startup` (detailed and `/health` include all). Default `['ready']`. */
  tags?: string[];
  /** How long a result is reused before the check runs again, in ms. Default: the registry's `cacheTtlMs`. */
  cacheTtlMs?: number;
  /** Consecutive non-healthy observations needed before the reported status worsens. Default 1. */
  failureThreshold?: number;
  /** Consecutive healthy observations needed before the reported status recovers. Default 1. */
  successThreshold?: number;
  /** Releases what the check owns (pools, clients, timers); called by `registry.close()`. */
  close?: () => Promise<void> | void;
}

/** The latest result of one check, in the JSON shape of the reference guides (snake_case fields). */
export interface CheckResult {
  /** Check name. */
  name: string;
  /** Reported status, after flap damping. */
  status: HealthStatus;
  /** Status of the latest run itself, before flap damping. */
  observed_status: HealthStatus;
  /** Duration of the latest run in milliseconds (bounded by the timeout). */
  response_time_ms: number;
  /** ISO-8601 time the latest run finished. */
  last_check: string;
  /** Whether the check is critical. */
  critical: boolean;
  /** Probe tags of the check. */
  tags: string[];
  /** Failure reason with secrets removed; present only when the latest run was not healthy. */
  error?: string;
  /** Extra figures from the check. */
  details?: Record<string, unknown>;
}

/** A state change of one check's reported status, emitted once per change (never on every probe). */
export interface HealthTransition {
  /** Check name. */
  name: string;
  /** Previous reported status, or `undefined` for the first result. */
  from: HealthStatus | undefined;
  /** New reported status. */
  to: HealthStatus;
  /** The result that caused the change. */
  result: CheckResult;
}

/** Aggregate of several check results with worst-wins and the criticality rule applied. */
export interface HealthReport {
  /** Worst status: critical unhealthy → unhealthy; non-critical unhealthy or any degraded → degraded. */
  status: HealthStatus;
  /** One result per included check, in registration order. */
  checks: CheckResult[];
}

/** State of one declared startup task (see `registry.startupTask()`). */
export type StartupTaskState = 'pending' | 'complete' | 'failed';

/** Handle to a piece of startup work the app declared; `/health/startup` is 503 until all are complete. */
export interface StartupTask {
  /** Marks the task complete. */
  complete(): void;
  /** Marks the task failed (the startup probe stays 503; the error is kept, scrubbed). */
  fail(error?: unknown): void;
}

/** Minimal pino-compatible logger used for transition logs; `false` disables logging. */
export interface HealthLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}
