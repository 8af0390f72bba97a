import { Gauge, type Registry } from 'prom-client';

/** The part of a health registry the collector needs: its result subscription (`createHealthRegistry()` has it). */
export interface HealthResultSource {
  onResult(listener: (result: { name: string; status: 'healthy' | 'degraded' | 'unhealthy'; response_time_ms: number; critical: boolean }) => void): () => void;
}

const STATUS_VALUE = { healthy: 1, degraded: 0.5, unhealthy: 0 } as const;

/**
 * Registers health-check metrics fed by a health registry's results: `health_check_status{check,critical}` (1
 * healthy, 0.5 degraded, 0 unhealthy) and `health_check_duration_seconds{check}` (latest run). Returns the
 * unsubscribe function.
 */
export function createHealthMetrics(options: { registry: Registry; health: HealthResultSource }): () => void {
  const status = new Gauge({ name: 'health_check_status', help: 'Reported status of each health check: 1 healthy, 0.5 degraded, 0 unhealthy.', labelNames: ['check', 'critical'], registers: [options.registry] });
  const duration = new Gauge({ name: 'health_check_duration_seconds', help: 'Duration of the latest run of each health check in seconds.', labelNames: ['check'], registers: [options.registry] });
  return options.health.onResult((r) => {
    status.set({ check: r.name, critical: String(r.critical) }, STATUS_VALUE[r.status] ?? 0);
    duration.set({ check: r.name }, r.response_time_ms / 1000);
  });
}
