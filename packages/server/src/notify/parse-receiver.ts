import { ConfigReader, fail } from './config-reader.js';
import type {
  AlertmanagerGlobalLike,
  ConsoleIntegrationConfig,
  EmailIntegrationConfig,
  HttpClientSettings,
  IntegrationConfig,
  MSTeamsIntegrationConfig,
  MSTeamsV2IntegrationConfig,
  PagerDutyIntegrationConfig,
  ReceiverIntegrations,
  ReceiverSource,
  SlackActionConfig,
  SlackIntegrationConfig,
  WebhookIntegrationConfig,
} from './receiver-config.js';
import { createSecret, type Secret } from './secret.js';
import { parseAddressList } from './email-address.js';

/** Alertmanager's default PagerDuty Events API v2 endpoint (`global.pagerduty_url`). */
export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

/**
 * Default Slack color: red for critical/error (and anything unknown) while firing, orange for
 * `severity: warning`, blue for `info`, green once resolved — the colors guides 003/004 use.
 */
export const DEFAULT_SLACK_COLOR =
  '{{ if eq .Status "firing" }}{{ if eq .CommonLabels.severity "warning" }}warning{{ else if eq .CommonLabels.severity "info" }}#439FE0{{ else }}danger{{ end }}{{ else }}good{{ end }}';

const PD_DETAILS: Record<string, string> = {
  firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
  resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};

/** Alertmanager 0.25 integrations Vigil does not implement: rejected with a clear message. */
const UNSUPPORTED = ['opsgenie_configs', 'wechat_configs', 'victorops_configs', 'pushover_configs', 'sns_configs', 'telegram_configs', 'discord_configs', 'webex_configs'];

function parseHttpConfig(r: ConfigReader | undefined, fallback: HttpClientSettings): HttpClientSettings {
  if (!r) return fallback;
  let authorization: HttpClientSettings['authorization'];
  let basicAuth: HttpClientSettings['basicAuth'];
  const a = r.child('authorization', 'config.Authorization');
  if (a) {
    const credentials = a.secret('credentials');
    const credentialsFile = a.optString('credentials_file');
    if (credentials && credentialsFile) throw a.error('credentials_file', 'at most one of credentials & credentials_file must be configured');
    authorization = { type: a.string('type', 'Bearer') || 'Bearer', ...(credentials ? { credentials } : {}), ...(credentialsFile ? { credentialsFile } : {}) };
    if (authorization.type.toLowerCase() === 'basic') throw a.error('type', 'authorization type cannot be set to "basic", use "basic_auth" instead');
    a.done();
  }
  const b = r.child('basic_auth', 'config.BasicAuth');
  if (b) {
    const password = b.secret('password');
    const passwordFile = b.optString('password_file');
    if (password && passwordFile) throw b.error('password_file', 'at most one of basic_auth password & password_file must be configured');
    basicAuth = { username: b.string('username'), ...(password ? { password } : {}), ...(passwordFile ? { passwordFile } : {}) };
    b.done();
  }
  const bearer = r.secret('bearer_token');
  const bearerFile = r.optString('bearer_token_file');
  if (bearer || bearerFile) {
    if (authorization || basicAuth) throw r.error('bearer_token', 'at most one of basic_auth, bearer_token & authorization must be configured');
    authorization = { type: 'Bearer', ...(bearer ? { credentials: bearer } : {}), ...(bearerFile ? { credentialsFile: bearerFile } : {}) };
  }
  if (authorization && basicAuth) throw r.error('basic_auth', 'at most one of basic_auth, oauth2 & authorization must be configured');
  const followRedirects = r.bool('follow_redirects', true);
  r.bool('enable_http2', true);
  for (const k of ['oauth2', 'proxy_url', 'tls_config', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header']) {
    if (r.has(k)) throw r.error(k, `http_config.${k} is not supported by Vigil yet`);
    r.raw(k);
  }
  r.done();
  return { ...(authorization ? { authorization } : {}), ...(basicAuth ? { basicAuth } : {}), followRedirects };
}

function exclusive(r: ConfigReader, a: string, b: string): void {
  if (r.has(a) && r.has(b)) throw r.error(b, `at most one of ${a} & ${b} must be configured`);
}

function webhook(r: ConfigReader, index: number, http: HttpClientSettings): WebhookIntegrationConfig {
  exclusive(r, 'url', 'url_file');
  const url = r.secretURL('url');
  const urlFile = r.optString('url_file');
  if (!url && !urlFile) throw r.error('url', 'one of url or url_file must be configured');
  return {
    type: 'webhook',
    index,
    sendResolved: r.bool('send_resolved', true),
    ...(url ? { url } : {}),
    ...(urlFile ? { urlFile } : {}),
    maxAlerts: r.uint('max_alerts', 0),
    http: parseHttpConfig(r.child('http_config', 'config.HTTPClientConfig'), http),
  };
}

function slackAction(a: ConfigReader): SlackActionConfig {
  const type = a.string('type');
  const text = a.string('text');
  if (!type) throw a.error('type', 'missing type in Slack action configuration');
  if (!text) throw a.error('text', 'missing text in Slack action configuration');
  const url = a.string('url');
  const name = a.string('name');
  const value = a.string('value');
  const style = a.string('style');
  const c = a.child('confirm', 'config.SlackConfirmationField');
  let confirm: SlackActionConfig['confirm'];
  if (c) {
    const ct = c.string('text');
    if (!ct) throw c.error('text', 'missing text in Slack confirmation configuration');
    confirm = { text: ct, title: c.string('title'), ok_text: c.string('ok_text'), dismiss_text: c.string('dismiss_text') };
    c.done();
  }
  if (url) return { type, text, url, ...(style ? { style } : {}) };
  if (name) return { type, text, name, ...(value ? { value } : {}), ...(style ? { style } : {}), ...(confirm ? { confirm } : {}) };
  throw a.error('url', 'missing name or url in Slack action configuration');
}

function slack(r: ConfigReader, index: number, g: ConfigReader, http: HttpClientSettings): SlackIntegrationConfig {
  exclusive(r, 'api_url', 'api_url_file');
  let apiURL: Secret | undefined = r.secretURL('api_url');
  let apiURLFile = r.optString('api_url_file');
  if (!apiURL && !apiURLFile) {
    apiURL = g.secretURL('slack_api_url');
    apiURLFile = g.optString('slack_api_url_file');
    if (!apiURL && !apiURLFile) throw r.error('api_url', 'no global Slack API URL set either inline or in a file');
  }
  return {
    type: 'slack',
    index,
    sendResolved: r.bool('send_resolved', false),
    ...(apiURL ? { apiURL } : {}),
    ...(apiURLFile ? { apiURLFile } : {}),
    channel: r.string('channel'),
    username: r.string('username', '{{ template "slack.default.username" . }}'),
    color: r.string('color', DEFAULT_SLACK_COLOR),
    title: r.string('title', '{{ template "slack.default.title" . }}'),
    titleLink: r.string('title_link', '{{ template "slack.default.titlelink" . }}'),
    pretext: r.string('pretext', '{{ template "slack.default.pretext" . }}'),
    text: r.string('text', '{{ template "slack.default.text" . }}'),
    fields: r.list(
      'fields',
      (f) => {
        const title = f.string('title');
        const value = f.string('value');
        if (!title) throw f.error('title', 'missing title in Slack field configuration');
        if (!value) throw f.error('value', 'missing value in Slack field configuration');
        const short = f.has('short') ? f.bool('short', false) : (f.raw('short'), undefined);
        return { title, value, ...(short !== undefined ? { short } : {}) };
      },
      'config.SlackField',
    ),
    shortFields: r.bool('short_fields', false),
    footer: r.string('footer', '{{ template "slack.default.footer" . }}'),
    fallback: r.string('fallback', '{{ template "slack.default.fallback" . }}'),
    callbackId: r.string('callback_id', '{{ template "slack.default.callbackid" . }}'),
    iconEmoji: r.string('icon_emoji', '{{ template "slack.default.iconemoji" . }}'),
    iconURL: r.string('icon_url', '{{ template "slack.default.iconurl" . }}'),
    imageURL: r.string('image_url'),
    thumbURL: r.string('thumb_url'),
    linkNames: r.bool('link_names', false),
    mrkdwnIn: r.has('mrkdwn_in') ? r.stringList('mrkdwn_in') : (r.raw('mrkdwn_in'), ['fallback', 'pretext', 'text']),
    actions: r.list('actions', slackAction, 'config.SlackAction'),
    http: parseHttpConfig(r.child('http_config', 'config.HTTPClientConfig'), http),
  };
}

function pagerduty(r: ConfigReader, index: number, g: ConfigReader, http: HttpClientSettings): PagerDutyIntegrationConfig {
  exclusive(r, 'routing_key', 'routing_key_file');
  exclusive(r, 'service_key', 'service_key_file');
  const routingKey = r.secret('routing_key');
  const routingKeyFile = r.optString('routing_key_file');
  const serviceKey = r.secret('service_key');
  const serviceKeyFile = r.optString('service_key_file');
  if (!routingKey && !routingKeyFile && !serviceKey && !serviceKeyFile) throw r.error('routing_key', 'missing service or routing key in PagerDuty config');
  const url = r.url('url') ?? g.url('pagerduty_url') ?? DEFAULT_PAGERDUTY_URL;
  const client = r.string('client', '{{ template "pagerduty.default.client" . }}');
  const details = { ...r.stringMap('details') };
  for (const [k, v] of Object.entries(PD_DETAILS)) if (!(k in details)) details[k] = v;
  return {
    type: 'pagerduty',
    index,
    sendResolved: r.bool('send_resolved', true),
    ...(routingKey ? { routingKey } : {}),
    ...(routingKeyFile ? { routingKeyFile } : {}),
    ...(serviceKey ? { serviceKey } : {}),
    ...(serviceKeyFile ? { serviceKeyFile } : {}),
    url,
    client,
    clientURL: r.string('client_url', '{{ template "pagerduty.default.clientURL" . }}'),
    description: r.string('description', '{{ template "pagerduty.default.description" .}}'),
    details,
    images: r.list('images', (i) => ({ src: i.string('src'), alt: i.string('alt'), href: i.string('href') }), 'config.PagerdutyImage'),
    links: r.list('links', (l) => ({ href: l.string('href'), text: l.string('text') }), 'config.PagerdutyLink'),
    source: r.string('source') || client,
    severity: r.string('severity') || 'error',
    class: r.string('class'),
    component: r.string('component'),
    group: r.string('group'),
    http: parseHttpConfig(r.child('http_config', 'config.HTTPClientConfig'), http),
  };
}

/** Canonical MIME header key, as Go's textproto does: `content-type` → `Content-Type`. */
export function canonicalHeaderKey(h: string): string {
  return h
    .split('-')
    .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p))
    .join('-');
}

function parseSmarthost(r: ConfigReader, key: string, value: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]*):(\d+)$/.exec(value);
  if (!m) throw r.error(key, `address ${JSON.stringify(value)}: missing port in address`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw r.error(key, `invalid port ${m[2]}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function checkAddresses(r: ConfigReader, key: string, value: string): void {
  if (value.includes('{{')) return; // a template: checked when rendered
  const err = parseAddressList(value).error;
  if (err) throw r.error(key, `invalid email address: ${err}`);
}

function email(r: ConfigReader, index: number, g: ConfigReader): EmailIntegrationConfig {
  const to = r.string('to');
  if (!to) throw r.error('to', 'missing to address in email config');
  checkAddresses(r, 'to', to);
  const headers: Record<string, string> = {};
  const raw = r.stringMap('headers');
  for (const [k, v] of Object.entries(raw)) {
    const c = canonicalHeaderKey(k);
    if (c in headers) throw r.error(['headers', k], `duplicate header ${JSON.stringify(c)} in email config`);
    headers[c] = v;
  }
  let smarthostRaw = r.string('smarthost');
  let smarthostKey: [ConfigReader, string] = [r, 'smarthost'];
  if (!smarthostRaw) {
    smarthostRaw = g.string('smtp_smarthost');
    smarthostKey = [g, 'smtp_smarthost'];
    if (!smarthostRaw) throw r.error('smarthost', 'no global SMTP smarthost set');
  }
  const smarthost = parseSmarthost(smarthostKey[0], smarthostKey[1], smarthostRaw);
  let from = r.string('from');
  if (!from) {
    from = g.string('smtp_from');
    if (!from) throw r.error('from', 'no global SMTP from set');
    checkAddresses(g, 'smtp_from', from);
  } else checkAddresses(r, 'from', from);
  exclusive(r, 'auth_password', 'auth_password_file');
  // Alertmanager fills each auth field from global only when the receiver left it empty.
  const pick = (own: string, glob: string): string | undefined => {
    const v = r.optString(own);
    if (v) return v;
    const gv = g.optString(glob);
    return gv || undefined;
  };
  const authUsername = pick('auth_username', 'smtp_auth_username');
  const authPasswordRaw = r.optString('auth_password');
  const authPasswordFileOwn = r.optString('auth_password_file');
  let authPassword: Secret | undefined = authPasswordRaw ? createSecret(authPasswordRaw) : undefined;
  let authPasswordFile = authPasswordFileOwn || undefined;
  if (!authPassword && !authPasswordFile) {
    const gp = g.optString('smtp_auth_password');
    const gpf = g.optString('smtp_auth_password_file');
    if (gp) authPassword = createSecret(gp);
    if (gpf) authPasswordFile = gpf;
  }
  const authSecretRaw = pick('auth_secret', 'smtp_auth_secret');
  const authIdentity = pick('auth_identity', 'smtp_auth_identity');
  const requireTLS = r.has('require_tls') ? r.bool('require_tls', true) : (r.raw('require_tls'), g.bool('smtp_require_tls', true));
  const t = r.child('tls_config', 'config.TLSConfig');
  let tls: EmailIntegrationConfig['tls'] = { insecureSkipVerify: false };
  if (t) {
    const serverName = t.optString('server_name');
    tls = { insecureSkipVerify: t.bool('insecure_skip_verify', false), ...(serverName ? { serverName } : {}) };
    for (const k of ['ca_file', 'cert_file', 'key_file', 'min_version', 'ca', 'cert', 'key']) {
      if (t.has(k)) throw t.error(k, `email tls_config.${k} is not supported by Vigil yet`);
      t.raw(k);
    }
    t.done();
  }
  return {
    type: 'email',
    index,
    sendResolved: r.bool('send_resolved', false),
    to,
    from,
    hello: r.string('hello') || g.string('smtp_hello') || 'localhost',
    smarthost,
    ...(authUsername ? { authUsername } : {}),
    ...(authPassword ? { authPassword } : {}),
    ...(authPasswordFile ? { authPasswordFile } : {}),
    ...(authSecretRaw ? { authSecret: createSecret(authSecretRaw) } : {}),
    ...(authIdentity ? { authIdentity } : {}),
    headers,
    html: r.has('html') ? r.string('html') : (r.raw('html'), '{{ template "email.default.html" . }}'),
    text: r.string('text'),
    requireTLS,
    tls,
  };
}

function teamsURL(r: ConfigReader): { webhookURL?: Secret; webhookURLFile?: string } {
  exclusive(r, 'webhook_url', 'webhook_url_file');
  const webhookURL = r.secretURL('webhook_url');
  const webhookURLFile = r.optString('webhook_url_file');
  if (!webhookURL && !webhookURLFile) throw r.error('webhook_url', 'one of webhook_url or webhook_url_file must be configured');
  return { ...(webhookURL ? { webhookURL } : {}), ...(webhookURLFile ? { webhookURLFile } : {}) };
}

function msteams(r: ConfigReader, index: number, http: HttpClientSettings): MSTeamsIntegrationConfig {
  return {
    type: 'msteams',
    index,
    sendResolved: r.bool('send_resolved', true),
    ...teamsURL(r),
    title: r.string('title', '{{ template "msteams.default.title" . }}'),
    summary: r.string('summary', '{{ template "msteams.default.summary" . }}'),
    text: r.string('text', '{{ template "msteams.default.text" . }}'),
    http: parseHttpConfig(r.child('http_config', 'config.HTTPClientConfig'), http),
  };
}

function msteamsv2(r: ConfigReader, index: number, http: HttpClientSettings): MSTeamsV2IntegrationConfig {
  return {
    type: 'msteamsv2',
    index,
    sendResolved: r.bool('send_resolved', true),
    ...teamsURL(r),
    title: r.string('title', '{{ template "msteamsv2.default.title" . }}'),
    text: r.string('text', '{{ template "msteamsv2.default.text" . }}'),
    http: parseHttpConfig(r.child('http_config', 'config.HTTPClientConfig'), http),
  };
}

function consoleConfig(r: ConfigReader, index: number): ConsoleIntegrationConfig {
  const format = r.string('format', 'text');
  if (format !== 'text' && format !== 'json') throw r.error('format', 'format must be "text" or "json"');
  return { type: 'console', index, sendResolved: r.bool('send_resolved', true), format };
}

/** YAML key → integration type, in the order Vigil creates them. */
export const INTEGRATION_KEYS = {
  webhook_configs: 'webhook',
  slack_configs: 'slack',
  pagerduty_configs: 'pagerduty',
  email_configs: 'email',
  msteams_configs: 'msteams',
  msteamsv2_configs: 'msteamsv2',
  console_configs: 'console',
} as const;

/**
 * Validates one `receivers:` entry of an alertmanager.yml (the parsed YAML map) against
 * Alertmanager 0.25's rules, applies the `global` defaults it inherits (smtp_*, slack_api_url,
 * pagerduty_url, http_config) and returns its integration configs, rejecting what Alertmanager
 * would reject (unknown fields, missing url/api_url without a global default, url with url_file,
 * bad email addresses, …) with a {@link ReceiverConfigError} naming `file:line:column` and field.
 * Secrets are wrapped (see `Secret`) and `redacted()` gives the `<secret>` view for the API.
 * Paths given to `source.lineOf` are relative to the receiver map.
 */
export function parseReceiverIntegrations(receiver: unknown, global: AlertmanagerGlobalLike | undefined, source: ReceiverSource): ReceiverIntegrations {
  const r = ConfigReader.of(source, [], receiver, 'config.Receiver');
  const name = r.string('name');
  if (!name) throw r.error('name', 'missing name in receiver');
  // The global section is read leniently: validating it is the config loader's job.
  const g = new ConfigReader({ file: source.file }, ['global'], (global ?? {}) as Record<string, unknown>, 'config.GlobalConfig');
  const gHttp = parseHttpConfig(
    global?.http_config ? ConfigReader.of({ file: source.file }, ['global', 'http_config'], global.http_config, 'config.HTTPClientConfig') : undefined,
    { followRedirects: true },
  );
  for (const k of UNSUPPORTED) {
    if (r.has(k)) throw r.error(k, `${k} is not supported by Vigil (supported: ${Object.keys(INTEGRATION_KEYS).join(', ')})`);
    r.raw(k);
  }
  const configs: IntegrationConfig[] = [];
  configs.push(...r.list('webhook_configs', (c, i) => webhook(c, i, gHttp), 'config.WebhookConfig'));
  configs.push(...r.list('slack_configs', (c, i) => slack(c, i, g, gHttp), 'config.SlackConfig'));
  configs.push(...r.list('pagerduty_configs', (c, i) => pagerduty(c, i, g, gHttp), 'config.PagerdutyConfig'));
  configs.push(...r.list('email_configs', (c, i) => email(c, i, g), 'config.EmailConfig'));
  configs.push(...r.list('msteams_configs', (c, i) => msteams(c, i, gHttp), 'config.MSTeamsConfig'));
  configs.push(...r.list('msteamsv2_configs', (c, i) => msteamsv2(c, i, gHttp), 'config.MSTeamsV2Config'));
  configs.push(...r.list('console_configs', (c, i) => consoleConfig(c, i), 'config.ConsoleConfig'));
  r.done();
  const frozen = Object.freeze(configs);
  return { name, configs: frozen, redacted: () => redactReceiver(name, frozen) };
}

function toYamlKey(k: string): string {
  const special: Record<string, string> = { apiURL: 'api_url', apiURLFile: 'api_url_file', clientURL: 'client_url', iconURL: 'icon_url', imageURL: 'image_url', thumbURL: 'thumb_url', webhookURL: 'webhook_url', webhookURLFile: 'webhook_url_file', requireTLS: 'require_tls', callbackId: 'callback_id', http: 'http_config' };
  return special[k] ?? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function redactValue(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'object' && 'reveal' in (v as object)) return '<secret>';
  if (Array.isArray(v)) return v.map(redactValue);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[toYamlKey(k)] = redactValue(x);
    return out;
  }
  return v;
}

function redactReceiver(name: string, configs: readonly IntegrationConfig[]): Record<string, unknown> {
  const out: Record<string, unknown> = { name };
  for (const [key, type] of Object.entries(INTEGRATION_KEYS)) {
    const list = configs.filter((c) => c.type === type);
    if (list.length === 0) continue;
    out[key] = list.map((c) => {
      const { type: _t, index: _i, sendResolved, ...rest } = c as IntegrationConfig & Record<string, unknown>;
      if (c.type === 'email') {
        const e = rest as Record<string, unknown>;
        const sh = c.smarthost;
        e.smarthost = `${sh.host.includes(':') ? `[${sh.host}]` : sh.host}:${sh.port}`;
      }
      return { send_resolved: sendResolved, ...(redactValue(rest) as Record<string, unknown>) };
    });
  }
  return out;
}

/** Builds a located config error for `path` relative to the receiver map (for callers composing checks). */
export function receiverConfigError(source: ReceiverSource, path: readonly (string | number)[], problem: string): Error {
  return fail(source, path, problem);
}
