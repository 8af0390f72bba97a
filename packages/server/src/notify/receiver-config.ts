import type { Secret } from './secret.js';

/**
 * The `global` section of an alertmanager.yml as parsed YAML (snake_case keys, as written). Only
 * the keys receivers inherit are read; validating the section itself is the config loader's job.
 */
export interface AlertmanagerGlobalLike {
  readonly resolve_timeout?: unknown;
  readonly smtp_from?: unknown;
  readonly smtp_hello?: unknown;
  readonly smtp_smarthost?: unknown;
  readonly smtp_auth_username?: unknown;
  readonly smtp_auth_password?: unknown;
  readonly smtp_auth_password_file?: unknown;
  readonly smtp_auth_secret?: unknown;
  readonly smtp_auth_identity?: unknown;
  readonly smtp_require_tls?: unknown;
  readonly slack_api_url?: unknown;
  readonly slack_api_url_file?: unknown;
  readonly pagerduty_url?: unknown;
  readonly http_config?: unknown;
  readonly [key: string]: unknown;
}

/** Where a receiver came from, so errors can name `file:line:column`. */
export interface ReceiverSource {
  readonly file: string;
  /**
   * Position of a node by its path relative to the receiver map (e.g. `['slack_configs', 0, 'api_url']`):
   * a mapping entry's key, a sequence's item; undefined when the path does not exist.
   */
  lineOf?(path: readonly (string | number)[]): { line: number; col: number } | undefined;
}

/** Supported subset of Prometheus's `http_config` for outgoing notification requests. */
export interface HttpClientSettings {
  readonly authorization?: { readonly type: string; readonly credentials?: Secret; readonly credentialsFile?: string };
  readonly basicAuth?: { readonly username: string; readonly password?: Secret; readonly passwordFile?: string };
  readonly followRedirects: boolean;
}

interface Base {
  /** Position among the receiver's integrations of the same type. */
  readonly index: number;
  readonly sendResolved: boolean;
}

/** A validated `webhook_configs` entry. */
export interface WebhookIntegrationConfig extends Base {
  readonly type: 'webhook';
  readonly url?: Secret;
  readonly urlFile?: string;
  /** 0 = unlimited. */
  readonly maxAlerts: number;
  readonly http: HttpClientSettings;
}

/** A Slack attachment field (`slack_configs[].fields[]`). */
export interface SlackFieldConfig {
  readonly title: string;
  readonly value: string;
  readonly short?: boolean;
}

/** A Slack action button (`slack_configs[].actions[]`). */
export interface SlackActionConfig {
  readonly type: string;
  readonly text: string;
  readonly url?: string;
  readonly style?: string;
  readonly name?: string;
  readonly value?: string;
  readonly confirm?: { readonly text: string; readonly title?: string; readonly ok_text?: string; readonly dismiss_text?: string };
}

/** A validated `slack_configs` entry; string fields are templates. */
export interface SlackIntegrationConfig extends Base {
  readonly type: 'slack';
  readonly apiURL?: Secret;
  readonly apiURLFile?: string;
  readonly channel: string;
  readonly username: string;
  readonly color: string;
  readonly title: string;
  readonly titleLink: string;
  readonly pretext: string;
  readonly text: string;
  readonly fields: readonly SlackFieldConfig[];
  readonly shortFields: boolean;
  readonly footer: string;
  readonly fallback: string;
  readonly callbackId: string;
  readonly iconEmoji: string;
  readonly iconURL: string;
  readonly imageURL: string;
  readonly thumbURL: string;
  readonly linkNames: boolean;
  readonly mrkdwnIn: readonly string[];
  readonly actions: readonly SlackActionConfig[];
  readonly http: HttpClientSettings;
}

/** A validated `pagerduty_configs` entry (Events API v2 with `routing_key`, v1 with `service_key`). */
export interface PagerDutyIntegrationConfig extends Base {
  readonly type: 'pagerduty';
  readonly routingKey?: Secret;
  readonly routingKeyFile?: string;
  readonly serviceKey?: Secret;
  readonly serviceKeyFile?: string;
  readonly url: string;
  readonly client: string;
  readonly clientURL: string;
  readonly description: string;
  readonly details: Readonly<Record<string, string>>;
  readonly images: readonly { readonly src: string; readonly alt: string; readonly href: string }[];
  readonly links: readonly { readonly href: string; readonly text: string }[];
  readonly source: string;
  readonly severity: string;
  readonly class: string;
  readonly component: string;
  readonly group: string;
  readonly http: HttpClientSettings;
}

/** A validated `email_configs` entry, with the global `smtp_*` defaults applied. */
export interface EmailIntegrationConfig extends Base {
  readonly type: 'email';
  readonly to: string;
  readonly from: string;
  readonly hello: string;
  readonly smarthost: { readonly host: string; readonly port: number };
  readonly authUsername?: string;
  readonly authPassword?: Secret;
  readonly authPasswordFile?: string;
  readonly authSecret?: Secret;
  readonly authIdentity?: string;
  /** Canonical MIME header names → templates. */
  readonly headers: Readonly<Record<string, string>>;
  readonly html: string;
  readonly text: string;
  readonly requireTLS: boolean;
  readonly tls: { readonly insecureSkipVerify: boolean; readonly serverName?: string };
}

/** A validated `msteams_configs` entry (legacy Office 365 connector, MessageCard payload). */
export interface MSTeamsIntegrationConfig extends Base {
  readonly type: 'msteams';
  readonly webhookURL?: Secret;
  readonly webhookURLFile?: string;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly http: HttpClientSettings;
}

/** A validated `msteamsv2_configs` entry (Teams Workflows webhook, Adaptive Card payload). */
export interface MSTeamsV2IntegrationConfig extends Base {
  readonly type: 'msteamsv2';
  readonly webhookURL?: Secret;
  readonly webhookURLFile?: string;
  readonly title: string;
  readonly text: string;
  readonly http: HttpClientSettings;
}

/** A validated Vigil-only `console_configs` entry: prints notifications for development. */
export interface ConsoleIntegrationConfig extends Base {
  readonly type: 'console';
  /** `text` (default): a human-readable block; `json`: the webhook payload on one line. */
  readonly format: 'text' | 'json';
}

/** Any validated integration configuration. */
export type IntegrationConfig =
  | WebhookIntegrationConfig
  | SlackIntegrationConfig
  | PagerDutyIntegrationConfig
  | EmailIntegrationConfig
  | MSTeamsIntegrationConfig
  | MSTeamsV2IntegrationConfig
  | ConsoleIntegrationConfig;

/** A validated receiver: its name and integrations, with a secret-free view for the API. */
export interface ReceiverIntegrations {
  readonly name: string;
  readonly configs: readonly IntegrationConfig[];
  /** The receiver as YAML-shaped JSON with every secret shown as `<secret>` (safe for logs and the API). */
  redacted(): Record<string, unknown>;
}
