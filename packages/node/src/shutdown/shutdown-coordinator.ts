import type { Server as HttpServer } from 'node:http';
import type { HealthRegistry } from '../health/registry.js';
import { redactSecrets } from '../health/redact-secrets.js';
import { runWithTimeout } from '../health/run-with-timeout.js';
import { trackServer, type TrackedServer } from './drain-server.js';
import { ShutdownHookTimeoutError } from './shutdown-errors.js';

/** Exit code after a clean shutdown. */
export const SHUTDOWN_EXIT_OK = 0;
/** Exit code when a hook failed or timed out, connections had to be force-closed, or the overall deadline passed. */
export const SHUTDOWN_EXIT_INCOMPLETE = 1;
/** Exit code when a second signal arrives during shutdown (immediate exit, as for an interrupted process). */
export const SHUTDOWN_EXIT_FORCED = 130;

/** One step of a shutdown, in the order they happen; passed to `onStep` and logged. */
export type ShutdownStep =
  | { step: 'started'; reason: string }
  | { step: 'readiness_failed' }
  | { step: 'wait_done'; waited_ms: number }
  | { step: 'servers_closed'; graceful: boolean }
  | { step: 'hook_started'; name: string }
  | { step: 'hook_done'; name: string; ok: boolean; error?: string; duration_ms: number }
  | { step: 'done'; exit_code: number };

/** Outcome of one cleanup hook. */
export interface ShutdownHookReport {
  /** Hook name. */
  name: string;
  /** True when it resolved within its timeout. */
  ok: boolean;
  /** Failure or timeout message (secrets removed). */
  error?: string;
  /** How long it ran (bounded by its timeout). */
  duration_ms: number;
}

/** What a completed shutdown did. */
export interface ShutdownReport {
  /** Why it started (`SIGTERM`, `SIGINT`, or the reason given to `shutdown()`). */
  reason: string;
  /** 0 clean, 1 incomplete (see {@link SHUTDOWN_EXIT_INCOMPLETE}). */
  exitCode: number;
  /** True when all servers drained before their deadline. */
  drained: boolean;
  /** Hooks in the order they ran. */
  hooks: ShutdownHookReport[];
}

/** Minimal pino-compatible logger for shutdown steps. */
export interface ShutdownLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Options of {@link createShutdownCoordinator}. */
export interface ShutdownCoordinatorOptions {
  /** Registry whose readiness fails first (`markShuttingDown`). */
  registry?: HealthRegistry;
  /** HTTP servers to stop and drain (more with `addServer`). */
  servers?: HttpServer[];
  /** Wait after readiness fails, before servers stop accepting, in ms; make it ≥ one readiness probe period. Default 5000. */
  readinessDelayMs?: number;
  /** Deadline for keep-alive connections to drain before they are destroyed, in ms. Default 10000. */
  drainTimeoutMs?: number;
  /** Timeout of a hook that sets none, in ms. Default 5000. */
  hookTimeoutMs?: number;
  /** Overall deadline after which the process exits with code 1 whatever is still running. Default: the sum of the above + 5 s. */
  forceExitAfterMs?: number;
  /** Signals handled by `handleSignals()`. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  /** How to exit. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Where steps are logged (pino-compatible); `false` disables. Default: JSON lines on stderr. */
  logger?: ShutdownLogger | false;
  /** Called on every step, in order (tests, metrics). */
  onStep?: (step: ShutdownStep) => void;
  /** Sleep used for the readiness delay (inject in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Coordinates graceful shutdown; create it with {@link createShutdownCoordinator}. */
export interface ShutdownCoordinator {
  /** Adds an HTTP server to stop and drain; call it before the first request so in-flight requests are tracked. */
  addServer(server: HttpServer): void;
  /**
   * Registers a cleanup hook (close pools, flush logs...). Hooks run one at a time in reverse registration
   * order (last registered first, so a logger created first flushes last), each bounded by its timeout and
   * handed an AbortSignal that fires at the timeout. Returns a function that unregisters it.
   */
  addHook(
    name: string,
    hook: (context: { signal: AbortSignal }) => Promise<void> | void,
    options?: { timeoutMs?: number },
  ): () => void;
  /** Installs handlers for the configured signals (a second signal exits at once with 130). Returns a function removing them. */
  handleSignals(): () => void;
  /**
   * Runs the shutdown sequence once (later calls return the same promise): readiness fails → wait
   * `readinessDelayMs` → servers stop accepting and drain → hooks run → resolves the report. Exits the
   * process with the report's code when triggered by a signal or when `options.exit` is true.
   */
  shutdown(reason?: string, options?: { exit?: boolean }): Promise<ShutdownReport>;
  /** True once shutdown has started. */
  isShuttingDown(): boolean;
}

function stderrLogger(): ShutdownLogger {
  const line = (level: string, obj: Record<string, unknown>, msg: string) =>
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), ...obj, msg })}\n`,
    );
  return { info: (o, m) => line('info', o, m), warn: (o, m) => line('warn', o, m) };
}

/**
 * Creates a graceful-shutdown coordinator: on SIGTERM/SIGINT (after `handleSignals()`) or `shutdown()`,
 * readiness fails first, then after a configurable wait the servers stop accepting and drain keep-alive
 * connections, then cleanup hooks run with per-hook timeouts, then the process exits with a clear code
 * (0 clean, 1 incomplete, 130 on a second signal). A hanging hook cannot hang shutdown.
 *
 * @example
 * const shutdown = createShutdownCoordinator({ registry, servers: [server], readinessDelayMs: 10_000 });
 * shutdown.addHook('postgres', () => pool.end(), { timeoutMs: 3000 });
 * shutdown.handleSignals();
 */
export function createShutdownCoordinator(
  options: ShutdownCoordinatorOptions = {},
): ShutdownCoordinator {
  const readinessDelayMs = options.readinessDelayMs ?? 5000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const hookTimeoutMs = options.hookTimeoutMs ?? 5000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const logger = options.logger === false ? undefined : (options.logger ?? stderrLogger());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const servers: TrackedServer[] = (options.servers ?? []).map(trackServer);
  const hooks: Array<{
    name: string;
    hook: (c: { signal: AbortSignal }) => Promise<void> | void;
    timeoutMs: number;
  }> = [];
  let running: Promise<ShutdownReport> | undefined;

  const step = (s: ShutdownStep): void => {
    try {
      options.onStep?.(s);
    } catch {
      // Observers must not break shutdown.
    }
    const { step: name, ...fields } = s;
    const bad =
      (s.step === 'hook_done' && !s.ok) ||
      (s.step === 'servers_closed' && !s.graceful) ||
      (s.step === 'done' && s.exit_code !== 0);
    if (bad) logger?.warn({ shutdown_step: name, ...fields }, `shutdown: ${name}`);
    else logger?.info({ shutdown_step: name, ...fields }, `shutdown: ${name}`);
  };

  async function sequence(reason: string): Promise<ShutdownReport> {
    step({ step: 'started', reason });
    options.registry?.markShuttingDown();
    step({ step: 'readiness_failed' });
    const t0 = performance.now();
    if (readinessDelayMs > 0) await sleep(readinessDelayMs);
    step({ step: 'wait_done', waited_ms: Math.round(performance.now() - t0) });
    const outcomes = await Promise.all(servers.map((s) => s.drain(drainTimeoutMs)));
    const drained = outcomes.every((o) => o.graceful);
    step({ step: 'servers_closed', graceful: drained });
    const reports: ShutdownHookReport[] = [];
    for (const h of [...hooks].reverse()) {
      step({ step: 'hook_started', name: h.name });
      const started = performance.now();
      let report: ShutdownHookReport;
      try {
        await runWithTimeout((signal) => h.hook({ signal }), h.timeoutMs);
        report = { name: h.name, ok: true, duration_ms: Math.round(performance.now() - started) };
      } catch (error) {
        const message =
          error instanceof Error && (error as { code?: string }).code === 'VIGIL_ERR_HEALTH_TIMEOUT'
            ? new ShutdownHookTimeoutError(h.name, h.timeoutMs).message
            : redactSecrets(error instanceof Error ? error.message : String(error));
        report = {
          name: h.name,
          ok: false,
          error: message,
          duration_ms: Math.round(performance.now() - started),
        };
      }
      reports.push(report);
      step({ step: 'hook_done', ...report });
    }
    const exitCode =
      drained && reports.every((r) => r.ok) ? SHUTDOWN_EXIT_OK : SHUTDOWN_EXIT_INCOMPLETE;
    step({ step: 'done', exit_code: exitCode });
    return { reason, exitCode, drained, hooks: reports };
  }

  const coordinator: ShutdownCoordinator = {
    addServer(server) {
      servers.push(trackServer(server));
    },
    addHook(name, hook, hookOptions) {
      const entry = { name, hook, timeoutMs: hookOptions?.timeoutMs ?? hookTimeoutMs };
      hooks.push(entry);
      return () => {
        const i = hooks.indexOf(entry);
        if (i !== -1) hooks.splice(i, 1);
      };
    },
    handleSignals() {
      const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
      const handler = (signal: NodeJS.Signals) => {
        if (running) {
          logger?.warn({ signal }, 'shutdown: second signal, exiting now');
          exit(SHUTDOWN_EXIT_FORCED);
          return;
        }
        void coordinator.shutdown(signal, { exit: true });
      };
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
    shutdown(reason = 'shutdown', callOptions) {
      if (running) return running;
      const limit =
        options.forceExitAfterMs ??
        readinessDelayMs + drainTimeoutMs + hooks.reduce((n, h) => n + h.timeoutMs, 0) + 5000;
      const shouldExit = callOptions?.exit ?? false;
      const watchdog = shouldExit
        ? setTimeout(() => {
            logger?.warn({ limit_ms: limit }, 'shutdown: overall deadline passed, exiting');
            exit(SHUTDOWN_EXIT_INCOMPLETE);
          }, limit)
        : undefined;
      watchdog?.unref();
      running = sequence(reason).then((report) => {
        if (watchdog) clearTimeout(watchdog);
        if (shouldExit) exit(report.exitCode);
        return report;
      });
      return running;
    },
    isShuttingDown: () => running !== undefined,
  };
  return coordinator;
}
