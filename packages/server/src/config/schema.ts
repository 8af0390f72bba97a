import { z } from 'zod';
import { incidentsConfigSchema, stateConfigSchema } from '../incidents/config.js';
import { parseByteSize, parseConfigDuration } from './duration.js';
import { statusPageSchema } from '../status-page/config.js';

const duration = z.string().refine((s) => parseConfigDuration(s) !== undefined, { message: 'not a valid duration (e.g. 15s, 1m, 200ms)' }).transform((s) => parseConfigDuration(s)!);
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a valid label name');
const labelSet = z.record(labelName, z.coerce.string());

const relabel = z.strictObject({
  source_labels: z.array(labelName).default([]),
  separator: z.string().default(';'),
  target_label: z.string().default(''),
  regex: z.string().default('(.*)').refine((r) => { try { new RegExp(r, 'su'); return true; } catch { return false; } }, { message: 'invalid regex' }),
  modulus: z.number().int().nonnegative().default(0),
  replacement: z.string().default('$1'),
  action: z.enum(['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal']).default('replace'),
}).superRefine((r, ctx) => {
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(r.action) && r.target_label === '') ctx.addIssue({ code: 'custom', message: `target_label is required for action ${r.action}`, path: ['action'] });
  if (r.action === 'hashmod' && r.modulus === 0) ctx.addIssue({ code: 'custom', message: 'modulus is required for action hashmod', path: ['action'] });
});

const scrapeConfig = z.strictObject({
  job_name: z.string().min(1),
  scrape_interval: duration.optional(),
  scrape_timeout: duration.optional(),
  metrics_path: z.string().startsWith('/').default('/metrics'),
  scheme: z.enum(['http', 'https']).default('http'),
  params: z.record(z.string(), z.array(z.string())).default({}),
  honor_labels: z.boolean().default(false),
  sample_limit: z.number().int().nonnegative().default(0),
  body_size_limit: z.union([z.number().int().nonnegative(), z.string()]).default(0),
  basic_auth: z.strictObject({ username: z.string(), password: z.string().optional(), password_file: z.string().optional() }).optional(),
  bearer_token: z.string().optional(),
  bearer_token_file: z.string().optional(),
  tls_config: z.strictObject({ insecure_skip_verify: z.boolean().default(false), ca_file: z.string().optional() }).default({ insecure_skip_verify: false }),
  static_configs: z.array(z.strictObject({ targets: z.array(z.string().regex(/^[^/\s]+:\d+$|^[^/\s]+$/, 'target must be host:port')).default([]), labels: labelSet.default({}) })).default([]),
  file_sd_configs: z.array(z.strictObject({ files: z.array(z.string()).min(1), refresh_interval: duration.default(300_000) })).default([]),
  relabel_configs: z.array(relabel).default([]),
  metric_relabel_configs: z.array(relabel).default([]),
});

const probe = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['http', 'tcp', 'dns']).default('http'),
  target: z.string().min(1),
  interval: duration.optional(),
  timeout: duration.default(5000),
  labels: labelSet.default({}),
  http: z.strictObject({
    method: z.string().default('GET'),
    valid_status_codes: z.array(z.number().int()).default([]),
    body_json_path: z.string().optional(),
    body_json_equals: z.coerce.string().optional(),
    max_response_time: duration.optional(),
    min_cert_days: z.number().nonnegative().optional(),
  }).default({ method: 'GET', valid_status_codes: [] }),
});

const AUTH_DEFAULTS = { enabled: true, compat_apis: 'open' as const, secure_cookies: false, trust_proxy: false, session_ttl: 12 * 3_600_000 };
// server.auth: users, sessions and API tokens (see docs/auth.md).
const authConfig = z.strictObject({
  enabled: z.boolean().default(true),
  compat_apis: z.enum(['open', 'token']).default('open'),
  secure_cookies: z.boolean().default(false),
  trust_proxy: z.boolean().default(false),
  session_ttl: duration.default(12 * 3_600_000),
}).default(AUTH_DEFAULTS);

/** zod schema of vigil.yml as written (before defaults that depend on `global`). */
export const vigilConfigSchema = z.strictObject({
  global: z.strictObject({
    scrape_interval: duration.default(60_000),
    scrape_timeout: duration.default(10_000),
    evaluation_interval: duration.default(60_000),
    external_labels: labelSet.default({}),
  }).default({ scrape_interval: 60_000, scrape_timeout: 10_000, evaluation_interval: 60_000, external_labels: {} }),
  scrape_configs: z.array(scrapeConfig).default([]),
  rule_files: z.array(z.string()).default([]),
  probes: z.array(probe).default([]),
  alerting: z.strictObject({
    config: z.record(z.string(), z.unknown()).optional(),
    config_file: z.string().optional(),
    forward_to: z.array(z.string().url()).optional(),
  }).optional(),
  storage: z.strictObject({
    data_dir: z.string().optional(),
    retention: z.strictObject({ time: duration.default(15 * 86_400_000), size: z.string().default('0') }).default({ time: 15 * 86_400_000, size: '0' }),
  }).default({ retention: { time: 15 * 86_400_000, size: '0' } }),
  server: z.strictObject({
    listen_address: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(9090),
    external_url: z.string().url().optional(),
    auth: authConfig,
  }).default({ listen_address: '127.0.0.1', port: 9090, auth: AUTH_DEFAULTS }),
  status_page: statusPageSchema.optional(),
  // incidents: and state: (see docs/incidents.md)
  incidents: incidentsConfigSchema.optional(),
  state: stateConfigSchema.optional(),
});

export type RawVigilConfig = z.output<typeof vigilConfigSchema>;
export { parseByteSize };
