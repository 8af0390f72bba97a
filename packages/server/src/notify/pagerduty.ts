import { createHash } from 'node:crypto';
import type { Integration, NotificationData } from './contract.js';
import { postOnce } from './http-post.js';
import { authHeaders, renderer, resolveSecret, withExternalURL, type ResolvedDeps } from './integration-deps.js';
import { NotifyError } from './notify-errors.js';
import type { PagerDutyIntegrationConfig } from './receiver-config.js';
import { truncateRunes } from './truncate.js';

/** PagerDuty's limit on an Events API v2 summary. */
const MAX_SUMMARY_RUNES = 1024;
/** PagerDuty's limit on an Events API v1 description. */
const MAX_DESCRIPTION_RUNES = 1024;
/** PagerDuty rejects events over 512 KB. */
const MAX_EVENT_BYTES = 512_000;
const V1_URL = 'https://events.pagerduty.com/generic/2010-04-15/create_event.json';

/** The PagerDuty dedup/incident key of a group: SHA-256 of the group key in hex, as Alertmanager computes it. */
export function pagerDutyDedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/**
 * Creates the PagerDuty integration: Events API v2 (`routing_key`) trigger/resolve events keyed by
 * the group's dedup key, or the v1 generic API when only `service_key` is set. Resolve events are
 * sent when the whole group is resolved. 429s are retried honouring Retry-After.
 */
export function createPagerDutyIntegration(cfg: PagerDutyIntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `pagerduty[${cfg.index}]`;
  const v2 = Boolean(cfg.routingKey || cfg.routingKeyFile);
  return {
    name: 'pagerduty',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input, signal) {
      const data = withExternalURL(input, deps);
      const t = renderer(what, deps, data).text;
      const details: Record<string, string> = {};
      for (const [k, v] of Object.entries(cfg.details)) details[k] = t(v);
      const key = v2 ? await resolveSecret(what, cfg.routingKey, cfg.routingKeyFile, deps) : await resolveSecret(what, cfg.serviceKey, cfg.serviceKeyFile, deps);
      const renderedKey = t(key);
      if (!renderedKey) throw new NotifyError(`${what}: routing key cannot be empty`, { retryable: false, reason: 'other' });
      const body = v2 ? v2Message(cfg, data, renderedKey, details, t) : v1Message(cfg, data, renderedKey, details, t);
      const auth = await authHeaders(what, cfg.http, deps);
      await postOnce({
        what,
        url: v2 ? cfg.url : cfg.url.endsWith('/v2/enqueue') ? V1_URL : cfg.url,
        body,
        headers: auth.headers,
        ...(signal ? { signal } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        secrets: [key, renderedKey, ...auth.secrets],
        now: () => deps.clock.now(),
        followRedirects: cfg.http.followRedirects,
      });
    },
  };
}

function encode(msg: { payload?: { custom_details?: unknown }; details?: unknown }): string {
  let body = JSON.stringify(msg);
  if (Buffer.byteLength(body) > MAX_EVENT_BYTES) {
    const note = { error: `Custom details have been removed because the original event exceeds the maximum size of ${MAX_EVENT_BYTES / 1000} kB` };
    if (msg.payload) msg.payload.custom_details = note;
    else msg.details = note;
    body = JSON.stringify(msg);
  }
  return body;
}

function v2Message(cfg: PagerDutyIntegrationConfig, data: NotificationData, routingKey: string, details: Record<string, string>, t: (s: string) => string): string {
  // Field order and omissions follow Alertmanager's JSON.
  const payload: Record<string, unknown> = { summary: truncateRunes(t(cfg.description), MAX_SUMMARY_RUNES), source: t(cfg.source), severity: t(cfg.severity) };
  for (const [k, v] of [['class', cfg.class], ['component', cfg.component], ['group', cfg.group]] as const) {
    const r = t(v);
    if (r) payload[k] = r;
  }
  if (Object.keys(details).length > 0) payload.custom_details = details;
  const msg: Record<string, unknown> = { routing_key: routingKey, dedup_key: pagerDutyDedupKey(data.groupKey), event_action: data.status === 'firing' ? 'trigger' : 'resolve', payload };
  const client = t(cfg.client);
  const clientURL = t(cfg.clientURL);
  if (client) msg.client = client;
  if (clientURL) msg.client_url = clientURL;
  const images = cfg.images.map((i) => ({ src: t(i.src), alt: t(i.alt), href: t(i.href) })).filter((i) => i.src !== '');
  const links = cfg.links.map((l) => ({ href: t(l.href), text: t(l.text) })).filter((l) => l.href !== '');
  if (images.length > 0) msg.images = images;
  if (links.length > 0) msg.links = links;
  return encode(msg as { payload?: { custom_details?: unknown } });
}

function v1Message(cfg: PagerDutyIntegrationConfig, data: NotificationData, serviceKey: string, details: Record<string, string>, t: (s: string) => string): string {
  const firing = data.status === 'firing';
  const msg: Record<string, unknown> = {
    service_key: serviceKey,
    event_type: firing ? 'trigger' : 'resolve',
    incident_key: pagerDutyDedupKey(data.groupKey),
    description: truncateRunes(t(cfg.description), MAX_DESCRIPTION_RUNES),
  };
  if (firing) {
    const client = t(cfg.client);
    const clientURL = t(cfg.clientURL);
    if (client) msg.client = client;
    if (clientURL) msg.client_url = clientURL;
  }
  if (Object.keys(details).length > 0) msg.details = details;
  return encode(msg as { details?: unknown });
}
