import type { CheckResult, HealthStatus } from './types.js';

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** Returns the worse of two statuses (`unhealthy` > `degraded` > `healthy`). */
export function worstStatus(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Aggregates check results worst-wins with the criticality rule: an unhealthy critical check makes the
 * service unhealthy, an unhealthy non-critical check only degrades it; any degraded check degrades it.
 * No results means healthy.
 */
export function aggregateStatus(
  results: readonly Pick<CheckResult, 'status' | 'critical'>[],
): HealthStatus {
  let status: HealthStatus = 'healthy';
  for (const r of results) {
    const effective: HealthStatus = r.status === 'unhealthy' && !r.critical ? 'degraded' : r.status;
    status = worstStatus(status, effective);
  }
  return status;
}
