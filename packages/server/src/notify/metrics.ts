import { Counter, Histogram, type Registry } from 'prom-client';

/** Names of the notifier metrics, as registered by {@link createNotifyMetrics} (default prefix `vigil_`). */
export const NOTIFY_METRIC_NAMES = {
  notificationsTotal: 'notifications_total',
  notificationsFailedTotal: 'notifications_failed_total',
  requestsTotal: 'notification_requests_total',
  requestsFailedTotal: 'notification_requests_failed_total',
  latencySeconds: 'notification_latency_seconds',
} as const;

/**
 * The notifier metrics on one prom-client registry:
 * - `notifications_total{integration}`: notifications handed to an integration;
 * - `notifications_failed_total{integration,reason}`: notifications given up on, by the reason of the last attempt;
 * - `notification_requests_total{integration}`: delivery attempts;
 * - `notification_requests_failed_total{integration,reason}`: failed attempts, by reason;
 * - `notification_latency_seconds{integration}`: time from first attempt to success.
 */
export interface NotifyMetrics {
  readonly notificationsTotal: Counter<'integration'>;
  readonly notificationsFailedTotal: Counter<'integration' | 'reason'>;
  readonly requestsTotal: Counter<'integration'>;
  readonly requestsFailedTotal: Counter<'integration' | 'reason'>;
  readonly latencySeconds: Histogram<'integration'>;
}

/** Integration types whose series are pre-created at zero, so dashboards see them before the first failure. */
const KNOWN_INTEGRATIONS = ['webhook', 'slack', 'pagerduty', 'email', 'msteams', 'msteamsv2', 'console'];

function getOrCreate<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Registers (or reuses, when already registered on this registry) the notifier metrics on
 * `registry`. Never touches prom-client's global registry.
 */
export function createNotifyMetrics(registry: Registry, options: { prefix?: string } = {}): NotifyMetrics {
  const p = options.prefix ?? 'vigil_';
  const n = NOTIFY_METRIC_NAMES;
  const metrics: NotifyMetrics = {
    notificationsTotal: getOrCreate(registry, p + n.notificationsTotal, () =>
      new Counter({ name: p + n.notificationsTotal, help: 'The total number of attempted notifications.', labelNames: ['integration'], registers: [registry] }),
    ),
    notificationsFailedTotal: getOrCreate(registry, p + n.notificationsFailedTotal, () =>
      new Counter({ name: p + n.notificationsFailedTotal, help: 'The total number of failed notifications.', labelNames: ['integration', 'reason'], registers: [registry] }),
    ),
    requestsTotal: getOrCreate(registry, p + n.requestsTotal, () =>
      new Counter({ name: p + n.requestsTotal, help: 'The total number of attempted notification requests.', labelNames: ['integration'], registers: [registry] }),
    ),
    requestsFailedTotal: getOrCreate(registry, p + n.requestsFailedTotal, () =>
      new Counter({ name: p + n.requestsFailedTotal, help: 'The total number of failed notification requests.', labelNames: ['integration', 'reason'], registers: [registry] }),
    ),
    latencySeconds: getOrCreate(registry, p + n.latencySeconds, () =>
      new Histogram({ name: p + n.latencySeconds, help: 'The latency of notifications in seconds.', labelNames: ['integration'], buckets: [1, 5, 10, 15, 20], registers: [registry] }),
    ),
  };
  for (const i of KNOWN_INTEGRATIONS) {
    metrics.notificationsTotal.inc({ integration: i }, 0);
    metrics.requestsTotal.inc({ integration: i }, 0);
  }
  return metrics;
}
