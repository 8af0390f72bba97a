import type { StatusPageConfig } from '../status-page/config.js';
import type { IncidentsConfig, StateConfig } from '../incidents/config.js';

/** One relabeling step, Prometheus's relabel_config. */
export interface RelabelConfig {
  readonly source_labels: readonly string[];
  readonly separator: string;
  readonly target_label: string;
  readonly regex: string;
  readonly modulus: number;
  readonly replacement: string;
  readonly action:
    | 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep' | 'hashmod' | 'lowercase' | 'uppercase' | 'keepequal' | 'dropequal';
}

/** One static target group. */
export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** One scrape job, Prometheus's scrape_config (the subset Vigil implements). */
export interface ScrapeConfig {
  readonly job_name: string;
  readonly scrape_interval_ms: number;
  readonly scrape_timeout_ms: number;
  readonly metrics_path: string;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honor_labels: boolean;
  readonly sample_limit: number;
  readonly body_size_limit: number;
  readonly basic_auth?: { readonly username: string; readonly password: string };
  readonly bearer_token?: string;
  readonly tls_config: { readonly insecure_skip_verify: boolean; readonly ca_file?: string };
  readonly static_configs: readonly StaticConfig[];
  readonly file_sd_configs: readonly { readonly files: readonly string[]; readonly refresh_interval_ms: number }[];
  readonly relabel_configs: readonly RelabelConfig[];
  readonly metric_relabel_configs: readonly RelabelConfig[];
}

/** One blackbox-style probe. */
export interface ProbeConfig {
  readonly name: string;
  readonly type: 'http' | 'tcp' | 'dns';
  readonly target: string;
  readonly interval_ms: number;
  readonly timeout_ms: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly http: {
    readonly method: string;
    readonly valid_status_codes: readonly number[];
    readonly body_json_path?: string;
    readonly body_json_equals?: string;
    readonly max_response_time_ms?: number;
    readonly min_cert_days?: number;
  };
}

/** `server.auth` of vigil.yml: who may use the HTTP API and the dashboard (see docs/auth.md). */
export interface AuthConfig {
  /** When false nobody logs in and every request acts as an anonymous admin (default true). */
  readonly enabled: boolean;
  /** `open` (default, as Prometheus/Alertmanager): `/api/v1`, `/api/v2`, `/federate`, `/metrics`, `/-/*` need no login; `token`: they need a session or API token. */
  readonly compat_apis: 'open' | 'token';
  /** Always mark the session cookie Secure (it is anyway when the request is https). */
  readonly secure_cookies: boolean;
  /** Trust `X-Forwarded-For`/`X-Forwarded-Proto` from a TLS-terminating reverse proxy. */
  readonly trust_proxy: boolean;
  /** Idle lifetime of a session (sliding), ms; default 12h. */
  readonly session_ttl_ms: number;
}

/** The parsed, validated vigil.yml with defaults applied and durations in milliseconds. */
export interface VigilConfig {
  /** Absolute path of the file it came from (relative paths inside resolve against its folder). */
  readonly file: string;
  readonly global: {
    readonly scrape_interval_ms: number;
    readonly scrape_timeout_ms: number;
    readonly evaluation_interval_ms: number;
    readonly external_labels: Readonly<Record<string, string>>;
  };
  readonly scrape_configs: readonly ScrapeConfig[];
  readonly rule_files: readonly string[];
  readonly probes: readonly ProbeConfig[];
  readonly alerting:
    | { readonly mode: 'none' }
    | { readonly mode: 'inline'; readonly text: string }
    | { readonly mode: 'file'; readonly config_file: string }
    | { readonly mode: 'forward'; readonly forward_to: readonly string[] };
  readonly storage: { readonly data_dir?: string; readonly retention_time_ms: number; readonly retention_size_bytes: number };
  readonly server: { readonly listen_address: string; readonly port: number; readonly external_url?: string; readonly auth: AuthConfig };
  /** `status_page:`: the public status page (see docs/status-page.md). */
  readonly status_page: StatusPageConfig;
  /** `incidents:`: opening policy, grace, escalation, playbooks, automations (see docs/incidents.md). */
  readonly incidents: IncidentsConfig;
  /** `state:`: PostgreSQL for durable state instead of SQLite in data_dir (`postgres_url` is a secret). */
  readonly state: StateConfig;
  /** The source text after `${VAR}` interpolation, secrets included (never serve it as is). */
  readonly source: string;
}
