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
      // Field order and omissions follow Alertmanager's JSON (omitempty where it has it).
      const attachment: Record<string, unknown> = {};
      const put = (k: string, v: unknown, omitEmpty: boolean): void => {
        if (omitEmpty && (v === '' || v === undefined || (Array.isArray(v) && v.length === 0))) return;
        attachment[k] = v;
      };
      put('title', truncateRunes(t(cfg.title), MAX_TITLE_RUNES), true);
      put('title_link', t(cfg.titleLink), true);
      put('pretext', t(cfg.pretext), true);
      put('text', t(cfg.text), false);
      put('fallback', t(cfg.fallback), false);
      put('callback_id', t(cfg.callbackId), false);
      put('fields', cfg.fields.map((f) => ({ title: t(f.title), value: t(f.value), short: f.short ?? cfg.shortFields })), true);
      put(
        'actions',
        cfg.actions.map((a) => ({
          type: t(a.type),
          text: t(a.text),
          ...(a.url ? { url: t(a.url) } : {}),
          ...(a.style ? { style: t(a.style) } : {}),
          ...(a.name ? { name: t(a.name) } : {}),
          ...(a.value ? { value: t(a.value) } : {}),
          ...(a.confirm
            ? { confirm: { text: t(a.confirm.text), title: t(a.confirm.title ?? ''), ok_text: t(a.confirm.ok_text ?? ''), dismiss_text: t(a.confirm.dismiss_text ?? '') } }
            : {}),
        })),
        true,
      );
      put('image_url', t(cfg.imageURL), true);
      put('thumb_url', t(cfg.thumbURL), true);
      put('footer', t(cfg.footer), false);
      put('color', t(cfg.color), true);
      put('mrkdwn_in', cfg.mrkdwnIn, true);
      const message: Record<string, unknown> = {};
      const top = { channel: t(cfg.channel), username: t(cfg.username), icon_emoji: t(cfg.iconEmoji), icon_url: t(cfg.iconURL) };
      for (const [k, v] of Object.entries(top)) if (v) message[k] = v;
      if (cfg.linkNames) message.link_names = true;
      message.attachments = [attachment];
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
