import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Vigil's own metrics registry and the gauges the monitor updates. */
export interface SelfMetrics {
  readonly registry: Registry;
  readonly series: Gauge;
  readonly samples: Gauge;
  readonly rejected: Gauge;
  readonly targets: Gauge;
  readonly reloadSuccess: Gauge;
  readonly reloadTime: Gauge;
}

/** Creates a fresh registry (no global) with process metrics and `vigil_*` gauges. */
export function createSelfMetrics(): SelfMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const g = (name: string, help: string, labelNames: string[] = []): Gauge => new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    series: g('vigil_tsdb_head_series', 'Active series in the store.'),
    samples: g('vigil_tsdb_head_samples', 'Samples held in the store.'),
    rejected: g('vigil_tsdb_out_of_order_samples', 'Samples rejected as out of order or duplicate since start.'),
    targets: g('vigil_scrape_targets', 'Scrape targets by health.', ['health']),
    reloadSuccess: g('vigil_config_last_reload_successful', 'Whether the last configuration reload succeeded.'),
    reloadTime: g('vigil_config_last_reload_success_timestamp_seconds', 'Time of the last successful configuration reload.'),
  };
}
