import type { Integration, NotificationData } from './contract.js';
import { postOnce } from './http-post.js';
import { authHeaders, resolveSecret, withExternalURL, type ResolvedDeps } from './integration-deps.js';
import type { WebhookIntegrationConfig } from './receiver-config.js';

/** Alertmanager's webhook payload, version 4, field for field and in its order. */
export interface WebhookPayload {
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: NotificationData['alerts'];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
}

/**
 * Builds the version-4 webhook payload for a notification; with `maxAlerts > 0` only the first
 * `maxAlerts` alerts are kept and the rest are counted in `truncatedAlerts`.
 */
export function webhookPayload(data: NotificationData, maxAlerts = 0): WebhookPayload {
  let alerts = data.alerts;
  let truncated = data.truncatedAlerts;
  if (maxAlerts > 0 && alerts.length > maxAlerts) {
    truncated += alerts.length - maxAlerts;
    alerts = alerts.slice(0, maxAlerts);
  }
  return {
    receiver: data.receiver,
    status: data.status,
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: data.groupLabels,
    commonLabels: data.commonLabels,
    commonAnnotations: data.commonAnnotations,
    externalURL: data.externalURL,
    version: '4',
    groupKey: data.groupKey,
    truncatedAlerts: truncated,
  };
}

/** Creates the webhook integration: POSTs the version-4 JSON payload to `url`. */
export function createWebhookIntegration(cfg: WebhookIntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `webhook[${cfg.index}]`;
  return {
    name: 'webhook',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(data, signal) {
      const url = await resolveSecret(what, cfg.url, cfg.urlFile, deps);
      const auth = await authHeaders(what, cfg.http, deps);
      await postOnce({
        what,
        url,
        body: JSON.stringify(webhookPayload(withExternalURL(data, deps), cfg.maxAlerts)),
        headers: auth.headers,
        ...(signal ? { signal } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        secrets: [url, ...auth.secrets],
        now: () => deps.clock.now(),
        followRedirects: cfg.http.followRedirects,
      });
    },
  };
}
