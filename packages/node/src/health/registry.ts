import { aggregateStatus } from './aggregate.js';
import { HealthConfigError } from './health-errors.js';
import { redactDeep, redactSecrets } from './redact-secrets.js';
import { runWithTimeout } from './run-with-timeout.js';
import type {
  CheckOutcome,
  CheckResult,
  HealthCheckDefinition,
  HealthLogger,
  HealthReport,
  HealthStatus,
  HealthTransition,
  StartupTask,
  StartupTaskState,
} from './types.js';

/** Options of {@link createHealthRegistry}; every field is optional. */
export interface HealthRegistryOptions {
  /** Checks to register immediately. */
  checks?: HealthCheckDefinition[];
  /** Timeout of a check that sets none, in ms. Default 2000. */
  defaultTimeoutMs?: number;
  /** How long a result is reused (TTL) for a check that sets none, in ms. Default 5000. */
  cacheTtlMs?: number;
  /** When set, every check re-runs in the background at this interval (ms) and probes only read results. */
  refreshIntervalMs?: number;
  /** Clock in epoch milliseconds (inject in tests). Default `Date.now`. */
  now?: () => number;
  /** Where transitions are logged (pino-compatible); `false` disables. Default: one JSON line on stderr. */
  logger?: HealthLogger | false;
  /** Literal secret values scrubbed from every error message and detail, on top of the built-in patterns. */
  secrets?: string[];
}

/** Options of one registry run. */
export interface HealthRunOptions {
  /** Only checks carrying at least one of these tags; omitted means every check. */
  tags?: readonly string[];
  /** Ignore cached results (a run already in flight is still shared). */
  fresh?: boolean;
}

/**
 * A health registry: named checks with cached, single-flight, time-bounded runs, flap damping, transition
 * events, startup tasks and the shutting-down flag that readiness reads. Create one with {@link createHealthRegistry}.
 */
export interface HealthRegistry {
  /** Adds a check; throws `HealthConfigError` (`VIGIL_ERR_HEALTH_CONFIG`) when the name is taken or options are invalid. */
  register(definition: HealthCheckDefinition): void;
  /** Removes a check (calling its `close`); resolves false when no check has that name. */
  unregister(name: string): Promise<boolean>;
  /** Names of the registered checks in registration order. */
  names(): string[];
  /** Result of one check: cached within its TTL, shared with a run in flight, otherwise run now. */
  check(name: string, options?: { fresh?: boolean }): Promise<CheckResult>;
  /** Runs (or reads cached results of) the selected checks and aggregates them worst-wins. Never rejects. */
  run(options?: HealthRunOptions): Promise<HealthReport>;
  /**
   * The report {@link HealthRegistry.run} would give right now if every selected check has a result that
   * may be served without running it (within TTL, or background mode); `undefined` otherwise. Never runs checks.
   */
  peek(tags?: readonly string[]): HealthReport | undefined;
  /** Latest stored result of every check that has run at least once, without running anything. */
  latest(): CheckResult[];
  /**
   * Subscribes to every new check result (after damping, secrets scrubbed), e.g. to feed health gauges.
   * Listeners run synchronously after each run; exceptions they throw are ignored. Returns an unsubscribe function.
   */
  onResult(listener: (result: CheckResult) => void): () => void;
  /** Subscribes to reported-status changes (once per change, not per probe). Returns an unsubscribe function. */
  onTransition(listener: (transition: HealthTransition) => void): () => void;
  /** Number of reported-status transitions so far, for one check or all checks (first results not counted). */
  transitionCount(name?: string): number;
  /** Starts (or restarts) re-running all checks every `intervalMs` in the background; the timer never holds the process open. */
  startBackgroundRefresh(intervalMs: number): void;
  /** Stops the background refresh, if any. */
  stopBackgroundRefresh(): void;
  /** Declares startup work; `/health/startup` (and readiness) fail until every declared task completes. */
  startupTask(name: string): StartupTask;
  /** Startup progress (a read-only view; do not modify): `started` is true once every declared task is complete (true when none were declared). */
  startupState(): {
    started: boolean;
    tasks: Record<string, { state: StartupTaskState; error?: string }>;
  };
  /** Marks the service as shutting down: readiness fails from now on. */
  markShuttingDown(): void;
  /** True after {@link HealthRegistry.markShuttingDown}. */
  isShuttingDown(): boolean;
  /** Stops the background refresh and closes every check's owned resources. */
  close(): Promise<void>;
}

interface CheckState {
  def: Required<Omit<HealthCheckDefinition, 'close'>> & Pick<HealthCheckDefinition, 'close'>;
  result?: CheckResult;
  resultAt: number;
  inflight?: Promise<CheckResult>;
  pendingStatus?: HealthStatus;
  pendingCount: number;
  transitions: number;
}

const STATUSES: readonly HealthStatus[] = ['healthy', 'degraded', 'unhealthy'];

function stderrLogger(): HealthLogger {
  const line = (level: string, obj: Record<string, unknown>, msg: string) =>
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), ...obj, msg })}\n`,
    );
  return { info: (o, m) => line('info', o, m), warn: (o, m) => line('warn', o, m) };
}

function positive(
  value: number | undefined,
  fallback: number,
  field: string,
  name: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new HealthConfigError(
      `health check "${name}": ${field} must be a positive number, got ${String(value)}`,
    );
  }
  return value;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/**
 * Creates a health registry. Check runs are bounded by their timeout (the wait really ends and the check's
 * AbortSignal fires), results are cached for their TTL, and concurrent callers share one run in flight, so
 * any number of simultaneous probes issue at most one run per check per TTL.
 *
 * @example
 * const health = createHealthRegistry({ cacheTtlMs: 5000 });
 * health.register(postgresCheck({ connectionString: process.env.DATABASE_URL }));
 * const report = await health.run({ tags: ['ready'] });
 */
export function createHealthRegistry(options: HealthRegistryOptions = {}): HealthRegistry {
  const now = options.now ?? Date.now;
  const defaultTimeoutMs = positive(
    options.defaultTimeoutMs,
    2000,
    'defaultTimeoutMs',
    '(registry)',
  );
  const defaultTtlMs = positive(options.cacheTtlMs, 5000, 'cacheTtlMs', '(registry)');
  const logger = options.logger === false ? undefined : (options.logger ?? stderrLogger());
  const redact = { secrets: options.secrets ?? [] };
  const states = new Map<string, CheckState>();
  const resultListeners = new Set<(r: CheckResult) => void>();
  const transitionListeners = new Set<(t: HealthTransition) => void>();
  const startup = new Map<string, { state: StartupTaskState; error?: string }>();
  let shuttingDown = false;
  // Startup state changes rarely and is read by every readiness probe: keep the view until it changes.
  let startupView: ReturnType<HealthRegistry['startupState']> | undefined;
  let refreshTimer: ReturnType<typeof setInterval> | undefined;
  let backgroundMode = false;

  // Tag selections are computed once per distinct tag list and reset whenever checks change.
  let selections = new Map<string, Selection>();
  interface Selection {
    states: CheckState[];
    // The last report peek() built for this selection, reused while every result is the same object.
    report?: HealthReport;
  }
  function selection(tags: readonly string[] | undefined): Selection {
    const key = tags ? tags.join('\u0000') : '\u0001all';
    let hit = selections.get(key);
    if (!hit) {
      hit = {
        states: [...states.values()].filter(
          (s) => !tags || s.def.tags.some((t) => tags.includes(t)),
        ),
      };
      selections.set(key, hit);
    }
    return hit;
  }
  function select(tags: readonly string[] | undefined): CheckState[] {
    return selection(tags).states;
  }

  function register(def: HealthCheckDefinition): void {
    if (!def || typeof def.name !== 'string' || def.name.trim() === '') {
      throw new HealthConfigError('health check: name must be a non-empty string');
    }
    if (typeof def.check !== 'function')
      throw new HealthConfigError(`health check "${def.name}": check must be a function`);
    if (states.has(def.name))
      throw new HealthConfigError(`health check "${def.name}" is already registered`);
    selections = new Map();
    states.set(def.name, {
      def: {
        name: def.name,
        check: def.check,
        critical: def.critical ?? true,
        timeoutMs: positive(def.timeoutMs, defaultTimeoutMs, 'timeoutMs', def.name),
        tags: def.tags ? [...def.tags] : ['ready'],
        cacheTtlMs: positive(def.cacheTtlMs, defaultTtlMs, 'cacheTtlMs', def.name),
        failureThreshold: Math.floor(
          positive(def.failureThreshold, 1, 'failureThreshold', def.name),
        ),
        successThreshold: Math.floor(
          positive(def.successThreshold, 1, 'successThreshold', def.name),
        ),
        close: def.close,
      },
      resultAt: Number.NEGATIVE_INFINITY,
      pendingCount: 0,
      transitions: 0,
    });
  }

  function emit<T>(listeners: Set<(v: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch {
        // A faulty subscriber must never break a probe.
      }
    }
  }

  function damp(state: CheckState, observed: HealthStatus): HealthStatus {
    const current = state.result?.status;
    if (current === undefined || current === observed) {
      state.pendingStatus = undefined;
      state.pendingCount = 0;
      return observed;
    }
    if (state.pendingStatus === observed) state.pendingCount += 1;
    else {
      state.pendingStatus = observed;
      state.pendingCount = 1;
    }
    const needed = observed === 'healthy' ? state.def.successThreshold : state.def.failureThreshold;
    if (state.pendingCount >= needed) {
      state.pendingStatus = undefined;
      state.pendingCount = 0;
      return observed;
    }
    return current;
  }

  async function execute(state: CheckState): Promise<CheckResult> {
    const { def } = state;
    const started = now();
    const startedPerf = performance.now();
    let outcome: CheckOutcome;
    try {
      const value = await runWithTimeout((signal) => def.check({ signal }), def.timeoutMs);
      outcome = value ?? {};
    } catch (error) {
      outcome = {
        status: 'unhealthy',
        error: error instanceof Error ? error.message || error.name : String(error),
      };
    }
    // Prefer the monotonic clock for durations unless a test clock moved.
    const clockElapsed = now() - started;
    const elapsed =
      clockElapsed > 0 && options.now ? clockElapsed : performance.now() - startedPerf;
    const observed: HealthStatus =
      outcome.status && STATUSES.includes(outcome.status) ? outcome.status : 'healthy';
    const reported = damp(state, observed);
    const result: CheckResult = {
      name: def.name,
      status: reported,
      observed_status: observed,
      response_time_ms: round(Math.max(elapsed, 0)),
      last_check: new Date(now()).toISOString(),
      critical: def.critical,
      tags: def.tags,
    };
    if (observed !== 'healthy')
      result.error = redactSecrets(outcome.error ?? `check reported ${observed}`, redact);
    if (outcome.details) result.details = redactDeep(outcome.details, redact);
    const previous = state.result?.status;
    state.result = result;
    state.resultAt = now();
    emit(resultListeners, result);
    if (previous !== reported) {
      if (previous !== undefined) state.transitions += 1;
      const fields = {
        check: def.name,
        from: previous ?? null,
        to: reported,
        critical: def.critical,
        error: result.error,
      };
      if (previous !== undefined) {
        if (reported === 'healthy') logger?.info(fields, 'health check recovered');
        else logger?.warn(fields, `health check is ${reported}`);
      } else if (reported !== 'healthy') logger?.warn(fields, `health check is ${reported}`);
      emit(transitionListeners, { name: def.name, from: previous, to: reported, result });
    }
    return result;
  }

  /** The cached result when it may be served without running the check (within TTL, or background mode). */
  function usable(state: CheckState, at: number): CheckResult | undefined {
    const cached = state.result;
    return cached && (backgroundMode || at - state.resultAt < state.def.cacheTtlMs)
      ? cached
      : undefined;
  }

  function get(state: CheckState, fresh: boolean): Promise<CheckResult> {
    // A valid cached result wins even while a refresh is in flight, so background refreshes never make probes wait.
    const cached = fresh ? undefined : usable(state, now());
    if (cached) return Promise.resolve(cached);
    if (state.inflight) return state.inflight;
    const run = execute(state).finally(() => {
      if (state.inflight === run) state.inflight = undefined;
    });
    state.inflight = run;
    return run;
  }

  function stateOf(name: string): CheckState {
    const state = states.get(name);
    if (!state) throw new HealthConfigError(`no health check named "${name}"`);
    return state;
  }

  const registry: HealthRegistry = {
    register,
    async unregister(name) {
      const state = states.get(name);
      if (!state) return false;
      states.delete(name);
      selections = new Map();
      await state.def.close?.();
      return true;
    },
    names: () => [...states.keys()],
    check(name, opts) {
      const state = states.get(name);
      if (!state) return Promise.reject(new HealthConfigError(`no health check named "${name}"`));
      return get(state, opts?.fresh ?? false);
    },
    peek(tags) {
      const sel = selection(tags);
      const at = now();
      const previous = sel.report;
      let same = previous !== undefined;
      for (let i = 0; i < sel.states.length; i++) {
        const r = usable(sel.states[i]!, at);
        if (!r) return undefined;
        if (same && previous!.checks[i] !== r) same = false;
      }
      // Same result objects → the same report object, so callers can memoise what they derive from it.
      if (same) return previous;
      const checks = sel.states.map((s) => s.result!);
      sel.report = { status: aggregateStatus(checks), checks };
      return sel.report;
    },
    run(opts = {}) {
      // Fast path: every result is cached, so answer without scheduling any check work.
      if (!opts.fresh) {
        const cached = registry.peek(opts.tags);
        if (cached) return Promise.resolve(cached);
      }
      const selected = select(opts.tags);
      return Promise.all(selected.map((s) => get(s, opts.fresh ?? false))).then((checks) => ({
        status: aggregateStatus(checks),
        checks,
      }));
    },
    latest: () => [...states.values()].flatMap((s) => (s.result ? [s.result] : [])),
    onResult(listener) {
      resultListeners.add(listener);
      return () => resultListeners.delete(listener);
    },
    onTransition(listener) {
      transitionListeners.add(listener);
      return () => transitionListeners.delete(listener);
    },
    transitionCount(name) {
      if (name !== undefined) return stateOf(name).transitions;
      let total = 0;
      for (const s of states.values()) total += s.transitions;
      return total;
    },
    startBackgroundRefresh(intervalMs) {
      const ms = positive(intervalMs, 0, 'refreshIntervalMs', '(registry)');
      registry.stopBackgroundRefresh();
      backgroundMode = true;
      const tick = () => {
        for (const s of states.values()) void get(s, true);
      };
      tick();
      refreshTimer = setInterval(tick, ms);
      refreshTimer.unref();
    },
    stopBackgroundRefresh() {
      if (refreshTimer) clearInterval(refreshTimer);
      refreshTimer = undefined;
      backgroundMode = false;
    },
    startupTask(name) {
      if (startup.has(name))
        throw new HealthConfigError(`startup task "${name}" is already declared`);
      startup.set(name, { state: 'pending' });
      startupView = undefined;
      return {
        complete: () => {
          startup.set(name, { state: 'complete' });
          startupView = undefined;
        },
        fail: (error?: unknown) => {
          startup.set(name, {
            state: 'failed',
            error: redactSecrets(
              error instanceof Error ? error.message : String(error ?? 'failed'),
              redact,
            ),
          });
          startupView = undefined;
        },
      };
    },
    startupState() {
      if (!startupView) {
        const tasks = Object.fromEntries(startup);
        startupView = {
          started: [...startup.values()].every((t) => t.state === 'complete'),
          tasks,
        };
      }
      return startupView;
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    isShuttingDown: () => shuttingDown,
    async close() {
      registry.stopBackgroundRefresh();
      const closing = [...states.values()].map(async (s) => {
        try {
          await s.def.close?.();
        } catch {
          // Closing is best effort: one failing close must not keep others open.
        }
      });
      await Promise.all(closing);
    },
  };

  for (const def of options.checks ?? []) register(def);
  if (options.refreshIntervalMs !== undefined)
    registry.startBackgroundRefresh(options.refreshIntervalMs);
  return registry;
}
