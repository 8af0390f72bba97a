import type { HealthCheckDefinition } from '../types.js';

/** Options every built-in check factory accepts, on top of its own; they map onto {@link HealthCheckDefinition}. */
export interface CommonCheckOptions {
  /** Check name (each factory has a sensible default such as `database` or `redis`). */
  name?: string;
  /** Default `true` for dependencies, `false` for host resource checks (disk, memory, event loop). */
  critical?: boolean;
  /** Per-run timeout in ms. Default: the registry's. */
  timeoutMs?: number;
  /** Probe tags. Default `['ready']` (event loop: `['live']`). */
  tags?: string[];
  /** Result TTL in ms. Default: the registry's. */
  cacheTtlMs?: number;
  /** Consecutive failures before the reported status worsens. */
  failureThreshold?: number;
  /** Consecutive successes before the reported status recovers. */
  successThreshold?: number;
}

/** Copies the common options onto a definition, applying the factory's defaults. */
export function withCommon(
  options: CommonCheckOptions,
  defaults: { name: string; critical?: boolean; tags?: string[] },
  rest: Pick<HealthCheckDefinition, 'check' | 'close'>,
): HealthCheckDefinition {
  const def: HealthCheckDefinition = {
    name: options.name ?? defaults.name,
    critical: options.critical ?? defaults.critical ?? true,
    check: rest.check,
  };
  const tags = options.tags ?? defaults.tags;
  if (tags) def.tags = tags;
  if (options.timeoutMs !== undefined) def.timeoutMs = options.timeoutMs;
  if (options.cacheTtlMs !== undefined) def.cacheTtlMs = options.cacheTtlMs;
  if (options.failureThreshold !== undefined) def.failureThreshold = options.failureThreshold;
  if (options.successThreshold !== undefined) def.successThreshold = options.successThreshold;
  if (rest.close) def.close = rest.close;
  return def;
}

/** Rejects with the signal's reason as soon as it aborts; resolves never otherwise (use in Promise.race). */
export function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Status from a value against warning/critical thresholds, where a higher value is worse. */
export function thresholdStatus(
  value: number,
  warning: number,
  critical: number,
): 'healthy' | 'degraded' | 'unhealthy' {
  if (value >= critical) return 'unhealthy';
  if (value >= warning) return 'degraded';
  return 'healthy';
}

/** Rounds to one decimal. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The worse of two statuses. */
export function worse(
  a: 'healthy' | 'degraded' | 'unhealthy',
  b: 'healthy' | 'degraded' | 'unhealthy',
): 'healthy' | 'degraded' | 'unhealthy' {
  const rank = { healthy: 0, degraded: 1, unhealthy: 2 };
  return rank[a] >= rank[b] ? a : b;
}
