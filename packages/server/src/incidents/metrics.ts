import { Counter, Gauge, type Registry } from 'prom-client';
import { SEVERITIES } from './severity.js';
import type { IncidentSeverity } from './types.js';

/** Names of the incident metrics. */
export const INCIDENT_METRIC_NAMES = { open: 'vigil_incidents_open', total: 'vigil_incidents_total' } as const;

/** The incident metrics on a registry. */
export interface IncidentMetrics {
  /** Counts an opened incident. */
  opened(severity: IncidentSeverity): void;
}

/**
 * Registers `vigil_incidents_open{severity}` (unresolved incidents, read from the store at each
 * scrape, so it is right across restarts and replicas) and `vigil_incidents_total{severity}`
 * (incidents opened by this process).
 */
export function createIncidentMetrics(registry: Registry, openCounts: () => Promise<Map<IncidentSeverity, number>>): IncidentMetrics {
  const existing = registry.getSingleMetric(INCIDENT_METRIC_NAMES.total) as Counter<'severity'> | undefined;
  const total = existing ?? new Counter({ name: INCIDENT_METRIC_NAMES.total, help: 'Incidents opened, by severity.', labelNames: ['severity'], registers: [registry] });
  if (!existing) for (const s of SEVERITIES) total.inc({ severity: s }, 0);
  if (!registry.getSingleMetric(INCIDENT_METRIC_NAMES.open)) {
    new Gauge({
      name: INCIDENT_METRIC_NAMES.open,
      help: 'Incidents not yet resolved, by severity.',
      labelNames: ['severity'],
      registers: [registry],
      async collect() {
        try {
          const counts = await openCounts();
          for (const s of SEVERITIES) this.set({ severity: s }, counts.get(s) ?? 0);
        } catch {
          // A failing store is reported by the API and health checks; the scrape keeps the last values.
        }
      },
    });
  }
  return { opened: (severity) => total.inc({ severity }) };
}
