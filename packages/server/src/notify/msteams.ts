import type { Integration } from './contract.js';
import { postOnce } from './http-post.js';
import { authHeaders, renderer, resolveSecret, withExternalURL, type ResolvedDeps } from './integration-deps.js';
import type { MSTeamsIntegrationConfig, MSTeamsV2IntegrationConfig } from './receiver-config.js';

/** MessageCard theme colors Alertmanager uses: red while firing, green when resolved. */
const THEME = { firing: '8C1A1A', resolved: '2DC72D' } as const;

async function post(what: string, cfg: MSTeamsIntegrationConfig | MSTeamsV2IntegrationConfig, deps: ResolvedDeps, body: unknown, signal?: AbortSignal): Promise<void> {
  const url = await resolveSecret(what, cfg.webhookURL, cfg.webhookURLFile, deps);
  const auth = await authHeaders(what, cfg.http, deps);
  await postOnce({
    what,
    url,
    body: JSON.stringify(body),
    headers: auth.headers,
    ...(signal ? { signal } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    secrets: [url, ...auth.secrets],
    now: () => deps.clock.now(),
    followRedirects: cfg.http.followRedirects,
  });
}

/**
 * Creates the `msteams_configs` integration (Alertmanager ≥ 0.26 compatible): POSTs a legacy
 * Office 365 connector MessageCard (title, summary, markdown text, theme color by status).
 */
export function createMSTeamsIntegration(cfg: MSTeamsIntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `msteams[${cfg.index}]`;
  return {
    name: 'msteams',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input, signal) {
      const data = withExternalURL(input, deps);
      const t = renderer(what, deps, data).text;
      const card = {
        '@context': 'http://schema.org/extensions',
        type: 'MessageCard',
        title: t(cfg.title),
        summary: t(cfg.summary),
        text: t(cfg.text),
        themeColor: THEME[data.status],
      };
      await post(what, cfg, deps, card, signal);
    },
  };
}

/** The Adaptive Card message a Teams Workflows webhook receives for a notification. */
export function adaptiveCardMessage(title: string, text: string, status: 'firing' | 'resolved', url: string): unknown {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color: status === 'firing' ? 'Attention' : 'Good' },
            { type: 'TextBlock', text, wrap: true },
          ],
          ...(url ? { actions: [{ type: 'Action.OpenUrl', title: 'View in Vigil', url }] } : {}),
          msteams: { width: 'full' },
        },
      },
    ],
  };
}

/**
 * Creates the `msteamsv2_configs` integration (Teams Workflows / Power Automate webhook, as
 * Alertmanager 0.28 names it): POSTs a message with one Adaptive Card (heading colored by status,
 * markdown text, a link back to Vigil).
 */
export function createMSTeamsV2Integration(cfg: MSTeamsV2IntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `msteamsv2[${cfg.index}]`;
  return {
    name: 'msteamsv2',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input, signal) {
      const data = withExternalURL(input, deps);
      const t = renderer(what, deps, data).text;
      const link = data.externalURL ? `${data.externalURL}/#/alerts?receiver=${encodeURIComponent(data.receiver)}` : '';
      await post(what, cfg, deps, adaptiveCardMessage(t(cfg.title), t(cfg.text), data.status, link), signal);
    },
  };
}
