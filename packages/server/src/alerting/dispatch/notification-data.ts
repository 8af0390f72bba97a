import type { NotificationAlert, NotificationData } from '../../notify/contract.js';
import { isResolved, type Alert, type LabelSet } from '../types.js';
import { rfc3339, ZERO_TIME } from '../time-format.js';

function common(sets: readonly LabelSet[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const s of sets.slice(1)) for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
  return out;
}

/** Converts an alert to the notifier's view at `now` (a firing alert's endsAt is Go's zero time, as Alertmanager sends it). */
export function toNotificationAlert(a: Alert, now: number): NotificationAlert {
  const resolved = isResolved(a, now);
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: rfc3339(a.startsAt),
    endsAt: resolved ? rfc3339(a.endsAt) : ZERO_TIME,
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  };
}

/** Builds the template data of one notification for one group (Alertmanager's `template.Data`). */
export function buildNotificationData(
  receiver: string,
  groupKey: string,
  groupLabels: LabelSet,
  alerts: readonly Alert[],
  externalURL: string,
  now: number,
): NotificationData {
  const list = alerts.map((a) => toNotificationAlert(a, now));
  return {
    receiver,
    status: list.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: list,
    groupLabels: { ...groupLabels },
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL,
    groupKey,
    truncatedAlerts: 0,
  };
}
