import type { Integration } from './contract.js';
import { postOnce } from './http-post.js';
import { authHeaders, renderer, resolveSecret, withExternalURL, type ResolvedDeps } from './integration-deps.js';
import type { SlackIntegrationConfig } from './receiver-config.js';
import { truncateRunes } from './truncate.js';

/** Slack limits an attachment title to 1024 characters (Alertmanager truncates the same way). */
const MAX_TITLE_RUNES = 1024;

/**
 * Creates the Slack integration: POSTs an incoming-webhook message with one attachment (title,
 * link, text, color by severity/status, fields, actions) to `api_url`, templating every field.
 */
export function createSlackIntegration(cfg: SlackIntegrationConfig, deps: ResolvedDeps): Integration {
  const what = `slack[${cfg.index}]`;
  return {
    name: 'slack',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input, signal) {
      const data = withExternalURL(input, deps);
      const t = renderer(what, deps, data).text;
      const attachment: Record<string, unknown> = {
        title: truncateRunes(t(cfg.title), MAX_TITLE_RUNES),
        title_link: t(cfg.titleLink),
        pretext: t(cfg.pretext),
        text: t(cfg.text),
        fallback: t(cfg.fallback),
        callback_id: t(cfg.callbackId),
        footer: t(cfg.footer),
        color: t(cfg.color),
        mrkdwn_in: cfg.mrkdwnIn,
      };
      const image = t(cfg.imageURL);
      if (image) attachment.image_url = image;
      const thumb = t(cfg.thumbURL);
      if (thumb) attachment.thumb_url = thumb;
      if (cfg.fields.length > 0) {
        attachment.fields = cfg.fields.map((f) => ({ title: t(f.title), value: t(f.value), short: f.short ?? cfg.shortFields }));
      }
      if (cfg.actions.length > 0) {
        attachment.actions = cfg.actions.map((a) => ({
          type: t(a.type),
          text: t(a.text),
          ...(a.url ? { url: t(a.url) } : {}),
          ...(a.style ? { style: t(a.style) } : {}),
          ...(a.name ? { name: t(a.name) } : {}),
          ...(a.value ? { value: t(a.value) } : {}),
          ...(a.confirm
            ? { confirm: { text: t(a.confirm.text), title: t(a.confirm.title ?? ''), ok_text: t(a.confirm.ok_text ?? ''), dismiss_text: t(a.confirm.dismiss_text ?? '') } }
            : {}),
        }));
      }
      const message: Record<string, unknown> = {
        channel: t(cfg.channel),
        username: t(cfg.username),
        icon_emoji: t(cfg.iconEmoji),
        icon_url: t(cfg.iconURL),
        link_names: cfg.linkNames,
        attachments: [attachment],
      };
      for (const k of ['channel', 'icon_emoji', 'icon_url']) if (message[k] === '') delete message[k];
      const url = await resolveSecret(what, cfg.apiURL, cfg.apiURLFile, deps);
      const auth = await authHeaders(what, cfg.http, deps);
      await postOnce({
        what,
        url,
        body: JSON.stringify(message),
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
