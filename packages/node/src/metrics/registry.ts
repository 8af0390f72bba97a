import { Registry } from 'prom-client';

/** Options of {@link createMetricsRegistry}. */
export interface MetricsRegistryOptions {
  /** Labels added to every series at render time, e.g. `{ service: 'api' }`. */
  defaultLabels?: Record<string, string>;
}

/**
 * Creates a new, empty prom-client registry for Vigil's collectors (never prom-client's global default registry).
 * Any existing prom-client `Registry` of yours works everywhere a registry is taken, instead of this one.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  return registry;
}
