import type { ServiceDependency } from './types.js';

/** Options of `createHealthDetailedReader`. */
export interface HealthDetailedReaderOptions {
  /** How long one answer is reused (ms); default 15 s. */
  readonly ttlMs?: number;
  /** Request timeout (ms); default 2 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/** A service's dependencies as its `/health/detailed` reports them. */
export type HealthDetailed = { status: string; checks: ServiceDependency[] };

/**
 * Creates a cached reader of services' `GET <base>/health/detailed` (the @vigil/node and guide
 * shape: `{status, dependencies: {name: {status, critical, response_time_ms, error}}}`). A service
 * that does not answer, answers non-JSON or restricts the endpoint yields undefined; concurrent
 * reads of one URL share one request. Only names, statuses, timings and the (already scrubbed)
 * error text are kept, never `details`.
 */
export function createHealthDetailedReader(options: HealthDetailedReaderOptions = {}): (baseUrl: string) => Promise<HealthDetailed | undefined> {
  const ttl = options.ttlMs ?? 15_000;
  const timeout = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, { at: number; value: Promise<HealthDetailed | undefined> }>();
  const load = async (base: string): Promise<HealthDetailed | undefined> => {
    try {
      const res = await doFetch(`${base}/health/detailed`, { signal: AbortSignal.timeout(timeout), headers: { accept: 'application/json' } });
      // 503 still carries the report (unhealthy service).
      if (!res.ok && res.status !== 503) return undefined;
      const body = (await res.json()) as { status?: unknown; dependencies?: Record<string, Record<string, unknown>> };
      if (typeof body.status !== 'string' || typeof body.dependencies !== 'object' || body.dependencies === null) return undefined;
      const checks: ServiceDependency[] = Object.entries(body.dependencies).map(([name, d]) => ({
        name,
        status: String(d.status ?? 'unknown'),
        ...(typeof d.critical === 'boolean' ? { critical: d.critical } : {}),
        ...(typeof d.response_time_ms === 'number' ? { response_time_ms: d.response_time_ms } : {}),
        ...(typeof d.error === 'string' ? { error: d.error } : {}),
      }));
      return { status: body.status, checks };
    } catch {
      return undefined;
    }
  };
  return (base) => {
    const hit = cache.get(base);
    if (hit && now() - hit.at < ttl) return hit.value;
    const value = load(base);
    cache.set(base, { at: now(), value });
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return value;
  };
}
