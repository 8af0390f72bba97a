import type { IncidentSeverity } from './types.js';

const rank: Record<IncidentSeverity, number> = { critical: 3, high: 2, warning: 1, info: 0 };

/** The valid severities, most severe first. */
export const SEVERITIES: readonly IncidentSeverity[] = ['critical', 'high', 'warning', 'info'];

/**
 * Maps an alert's `severity` label to an incident severity: `critical`/`page`/`emergency` → critical,
 * `high`/`error`/`major` → high, `warning`/`warn` → warning, anything else (or none) → info.
 */
export function normalizeSeverity(label: string | undefined): IncidentSeverity {
  switch ((label ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
    case 'emergency':
      return 'critical';
    case 'high':
    case 'error':
    case 'major':
      return 'high';
    case 'warning':
    case 'warn':
      return 'warning';
    default:
      return 'info';
  }
}

/** The most severe of the given severities (`info` when none). */
export function highestSeverity(list: readonly IncidentSeverity[]): IncidentSeverity {
  let best: IncidentSeverity = 'info';
  for (const s of list) if (rank[s] > rank[best]) best = s;
  return best;
}

/** Whether `s` is a valid incident severity. */
export function isSeverity(s: unknown): s is IncidentSeverity {
  return typeof s === 'string' && s in rank;
}
