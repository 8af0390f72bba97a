import type { ServiceDependency } from './types.js';

/** Options of `createHealthDetailedReader`. */
export interface HealthDetailedReaderOptions {
  /** How long one answer is reused (ms); default 15 s. */
  readonly ttlMs?: number;
  /**
   * How long after its TTL an answer may still be returned at once while a fresh read runs in the
   * background (ms); default 5 min. The overview then never waits on a slow service's endpoint
   * except for its very first read. 0: wait for the fresh read.
   */
  readonly staleMs?: number;
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
 * reads of one URL share one request; after the TTL the last answer is still returned at once
 * (for `staleMs`) while a fresh read runs in the background. Only names, statuses, timings and the (already scrubbed)
 * error text are kept, never `details`.
 */
export function createHealthDetailedReader(options: HealthDetailedReaderOptions = {}): (baseUrl: string) => Promise<HealthDetailed | undefined> {
  const ttl = options.ttlMs ?? 15_000;
  const timeout = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const stale = options.staleMs ?? 300_000;
  // `last`: the newest settled answer, served while `value` (a refresh) is still running.
  interface Entry { at: number; value: Promise<HealthDetailed | undefined>; last?: { value: HealthDetailed | undefined } }
  const cache = new Map<string, Entry>();
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
  const start = (base: string, last: Entry['last']): Entry => {
    const entry: Entry = { at: now(), value: load(base), ...(last ? { last } : {}) };
    void entry.value.then((value) => {
      entry.last = { value };
    });
    cache.set(base, entry);
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return entry;
  };
  return (base) => {
    const hit = cache.get(base);
    const age = hit ? now() - hit.at : Infinity;
    if (hit && age < ttl) return hit.last ? Promise.resolve(hit.last.value) : hit.value;
    if (hit?.last && age < ttl + stale) {
      // Serve the last answer now; the refresh's answer is served from the next read on.
      start(base, hit.last);
      return Promise.resolve(hit.last.value);
    }
    return start(base, undefined).value;
  };
}
