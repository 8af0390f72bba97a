import { Counter, Gauge, type Registry } from 'prom-client';
import { isResolved, type Alert } from './types.js';

/** Metric names of the alerting pipeline (Alertmanager's names, so its dashboards work). */
export const ALERTING_METRIC_NAMES = {
  alerts: 'alertmanager_alerts',
  alertsReceived: 'alertmanager_alerts_received_total',
  alertsInvalid: 'alertmanager_alerts_invalid_total',
  notifications: 'alertmanager_notifications_total',
  silences: 'alertmanager_silences',
} as const;

/** The pipeline's instruments. */
export interface AlertingMetrics {
  received(status: 'firing' | 'resolved'): void;
  invalid(n: number): void;
  notification(integration: string): void;
}

/** Registers the alerting metrics on `registry`; the gauges read the live state when scraped. */
export function createAlertingMetrics(
  registry: Registry,
  state: { alerts(): Iterable<Alert>; now(): number; suppressed(a: Alert): boolean; silenceStates(): Record<'active' | 'pending' | 'expired', number> },
): AlertingMetrics {
  // A pipeline rebuilt by a config reload registers again on the same registry: counters carry on,
  // gauges are replaced so they read the new pipeline's state.
  const counter = (name: string, help: string, labelNames: string[]): Counter<string> =>
    (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
  const received = counter(ALERTING_METRIC_NAMES.alertsReceived, 'The total number of received alerts.', ['status']);
  const invalid = counter(ALERTING_METRIC_NAMES.alertsInvalid, 'The total number of received alerts that were invalid.', []);
  const notifications = counter(ALERTING_METRIC_NAMES.notifications, 'The total number of attempted notifications.', ['integration']);
  registry.removeSingleMetric(ALERTING_METRIC_NAMES.alerts);
  registry.removeSingleMetric(ALERTING_METRIC_NAMES.silences);
  new Gauge({
    name: ALERTING_METRIC_NAMES.alerts,
    help: 'How many alerts by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      let active = 0;
      let suppressed = 0;
      const now = state.now();
      for (const a of state.alerts()) {
        if (isResolved(a, now)) continue;
        if (state.suppressed(a)) suppressed++;
        else active++;
      }
      this.set({ state: 'active' }, active);
      this.set({ state: 'suppressed' }, suppressed);
      this.set({ state: 'unprocessed' }, 0);
    },
  });
  new Gauge({
    name: ALERTING_METRIC_NAMES.silences,
    help: 'How many silences by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = state.silenceStates();
      for (const k of ['active', 'pending', 'expired'] as const) this.set({ state: k }, s[k]);
    },
  });
  return {
    received: (status) => received.inc({ status }),
    invalid: (n) => invalid.inc(n),
    notification: (integration) => notifications.inc({ integration }),
  };
}
