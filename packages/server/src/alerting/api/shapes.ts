import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { AlertGroupView, AlertView } from '../pipeline.js';
import type { Silence, SilenceState } from '../silence/silences.js';
import { rfc3339 } from '../time-format.js';

/** `gettableAlert` of Alertmanager 0.25's OpenAPI. */
export function gettableAlert(v: AlertView): Record<string, unknown> {
  const a = v.alert;
  return {
    annotations: a.annotations,
    endsAt: rfc3339(a.endsAt),
    fingerprint: a.fingerprint,
    receivers: v.receivers.map((name) => ({ name })),
    startsAt: rfc3339(a.startsAt),
    status: { inhibitedBy: v.inhibitedBy, silencedBy: v.silencedBy, state: v.state },
    updatedAt: rfc3339(a.updatedAt),
    generatorURL: a.generatorURL,
    labels: a.labels,
  };
}

/** `alertGroup` of Alertmanager 0.25's OpenAPI. */
export function alertGroup(g: AlertGroupView, alerts: readonly AlertView[]): Record<string, unknown> {
  return { alerts: alerts.map(gettableAlert), labels: g.labels, receiver: { name: g.receiver } };
}

/** `gettableSilence` of Alertmanager 0.25's OpenAPI. */
export function gettableSilence(s: Silence & { state: SilenceState }): Record<string, unknown> {
  return {
    id: s.id,
    status: { state: s.state },
    updatedAt: rfc3339(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: rfc3339(s.endsAt),
    matchers: s.matchers.map((m) => ({ isEqual: m.isEqual, isRegex: m.isRegex, name: m.name, value: m.value })),
    startsAt: rfc3339(s.startsAt),
  };
}

const secretKey = /password|secret|token|api_key|routing_key|service_key|api_url|webhook_url|credentials|^url$|^authorization$/i;

/** The config text with every secret-bearing value replaced by `<secret>` (for `/api/v2/status`). */
export function maskedConfig(original: string): string {
  const doc = parseDocument(original);
  const walk = (n: Node | null | undefined): void => {
    if (!n) return;
    if (isMap(n)) {
      for (const pair of n.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : '';
        if (secretKey.test(k) && isScalar(pair.value) && pair.value.value !== null && pair.value.value !== '') pair.value.value = '<secret>';
        else walk(pair.value as Node | null);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) walk(item as Node);
    }
  };
  walk(doc.contents as Node | null);
  return doc.toString();
}
