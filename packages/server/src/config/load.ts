import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, stringify, isMap, isNode, isScalar, type Document } from 'yaml';
import { ConfigError } from './errors.js';
import { normalizeIncidentsConfig } from '../incidents/config.js';
import { loadPlaybooksFile } from '../incidents/playbooks-file.js';
import { interpolateEnv } from './interpolate.js';
import { vigilConfigSchema, parseByteSize, type RawVigilConfig } from './schema.js';
import type { ScrapeConfig, VigilConfig } from './types.js';
import { resolveStatusPageConfig } from '../status-page/config.js';

/** Options of `parseConfig` / `loadConfig`. */
export interface LoadConfigOptions {
  /** Environment for `${VAR}` interpolation; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function locate(doc: Document, lc: LineCounter, p: readonly PropertyKey[]): { line: number; col: number } {
  // Walk down as far as the path exists so a missing field points at its parent.
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, col: pos.col };
    }
  }
  return { line: 1, col: 1 };
}

function locateKey(doc: Document, lc: LineCounter, parent: readonly PropertyKey[], key: string): { line: number; col: number } {
  const map = doc.getIn(parent as unknown[], true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) {
        const pos = lc.linePos(pair.key.range[0]);
        return { line: pos.line, col: pos.col };
      }
    }
  }
  return locate(doc, lc, [...parent, key]);
}

function fieldName(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/**
 * Parses vigil.yml text into a validated `VigilConfig`. Throws `ConfigError` naming file:line:column
 * and the field for YAML syntax errors, unknown fields, bad types and bad values.
 */
export function parseConfig(text: string, file: string, options: LoadConfigOptions = {}): VigilConfig {
  const abs = path.resolve(file);
  const { text: src, missing } = interpolateEnv(text, options.env ?? process.env);
  if (missing.length > 0) {
    const idx = Math.max(0, text.indexOf(`\${${missing[0]}`));
    const before = text.slice(0, idx).split('\n');
    throw new ConfigError(file, before.length, before[before.length - 1]!.length + 1, '', `environment variable ${missing[0]} is not set (use \${${missing[0]}:-default} for a default)`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new ConfigError(file, pos.line, pos.col, '', `YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const parsed = vigilConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    let p = issue.path as PropertyKey[];
    let msg = issue.message;
    let pos: { line: number; col: number };
    if (issue.code === 'unrecognized_keys') {
      pos = locateKey(doc, lc, p, issue.keys[0]!);
      p = [...p, issue.keys[0]!];
      msg = `unknown field "${issue.keys[0]}"`;
    } else pos = locate(doc, lc, p);
    const { line, col } = pos;
    throw new ConfigError(file, line, col, fieldName(p), msg);
  }
  return finish(parsed.data, abs, src, doc, lc, file);
}

function finish(raw: RawVigilConfig, abs: string, src: string, doc: Document, lc: LineCounter, file: string): VigilConfig {
  const dir = path.dirname(abs);
  const resolve = (p: string): string => path.resolve(dir, p);
  const names = new Set<string>();
  const scrape: ScrapeConfig[] = raw.scrape_configs.map((s, i) => {
    const fail = (field: string, msg: string): never => {
      const { line, col } = locate(doc, lc, ['scrape_configs', i, field]);
      throw new ConfigError(file, line, col, `scrape_configs[${i}].${field}`, msg);
    };
    if (names.has(s.job_name)) fail('job_name', `duplicate job_name "${s.job_name}"`);
    names.add(s.job_name);
    const interval = s.scrape_interval ?? raw.global.scrape_interval;
    const timeout = s.scrape_timeout ?? Math.min(raw.global.scrape_timeout, interval);
    if (timeout > interval) fail('scrape_timeout', 'scrape_timeout is greater than scrape_interval');
    const bodyLimit = typeof s.body_size_limit === 'number' ? s.body_size_limit : parseByteSize(s.body_size_limit);
    if (bodyLimit === undefined) fail('body_size_limit', 'not a valid size (e.g. 10MB)');
    let password = s.basic_auth?.password;
    if (s.basic_auth?.password_file) password = readFileSync(resolve(s.basic_auth.password_file), 'utf8').trim();
    let bearer = s.bearer_token;
    if (s.bearer_token_file) {
      try {
        bearer = readFileSync(resolve(s.bearer_token_file), 'utf8').trim();
      } catch (err) {
        fail('bearer_token_file', `cannot read ${s.bearer_token_file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
    return {
      job_name: s.job_name,
      scrape_interval_ms: interval,
      scrape_timeout_ms: timeout,
      metrics_path: s.metrics_path,
      scheme: s.scheme,
      params: s.params,
      honor_labels: s.honor_labels,
      sample_limit: s.sample_limit,
      body_size_limit: bodyLimit!,
      ...(s.basic_auth ? { basic_auth: { username: s.basic_auth.username, password: password ?? '' } } : {}),
      ...(bearer !== undefined ? { bearer_token: bearer } : {}),
      tls_config: { insecure_skip_verify: s.tls_config.insecure_skip_verify, ...(s.tls_config.ca_file ? { ca_file: resolve(s.tls_config.ca_file) } : {}) },
      static_configs: s.static_configs,
      file_sd_configs: s.file_sd_configs.map((f) => ({ files: f.files.map(resolve), refresh_interval_ms: f.refresh_interval })),
      relabel_configs: s.relabel_configs,
      metric_relabel_configs: s.metric_relabel_configs,
    };
  });
  const a = raw.alerting;
  let alerting: VigilConfig['alerting'] = { mode: 'none' };
  if (a) {
    const set = [a.config, a.config_file, a.forward_to].filter((x) => x !== undefined).length;
    if (set > 1) {
      const { line, col } = locate(doc, lc, ['alerting']);
      throw new ConfigError(file, line, col, 'alerting', 'set only one of config, config_file, forward_to');
    }
    if (a.config) alerting = { mode: 'inline', text: stringify(a.config) };
    else if (a.config_file) alerting = { mode: 'file', config_file: resolve(a.config_file) };
    else if (a.forward_to) alerting = { mode: 'forward', forward_to: a.forward_to };
  }
  const size = parseByteSize(raw.storage.retention.size);
  if (size === undefined) {
    const { line, col } = locate(doc, lc, ['storage', 'retention', 'size']);
    throw new ConfigError(file, line, col, 'storage.retention.size', 'not a valid size (e.g. 512MB)');
  }
  return {
    file: abs,
    global: {
      scrape_interval_ms: raw.global.scrape_interval,
      scrape_timeout_ms: raw.global.scrape_timeout,
      evaluation_interval_ms: raw.global.evaluation_interval,
      external_labels: raw.global.external_labels,
    },
    scrape_configs: scrape,
    rule_files: raw.rule_files.map(resolve),
    probes: raw.probes.map((p) => ({
      name: p.name,
      type: p.type,
      target: p.target,
      interval_ms: p.interval ?? raw.global.scrape_interval,
      timeout_ms: p.timeout,
      labels: p.labels,
      http: {
        method: p.http.method,
        valid_status_codes: p.http.valid_status_codes,
        ...(p.http.body_json_path !== undefined ? { body_json_path: p.http.body_json_path } : {}),
        ...(p.http.body_json_equals !== undefined ? { body_json_equals: p.http.body_json_equals } : {}),
        ...(p.http.max_response_time !== undefined ? { max_response_time_ms: p.http.max_response_time } : {}),
        ...(p.http.min_cert_days !== undefined ? { min_cert_days: p.http.min_cert_days } : {}),
      },
    })),
    alerting,
    storage: {
      ...(raw.storage.data_dir !== undefined ? { data_dir: resolve(raw.storage.data_dir) } : {}),
      retention_time_ms: raw.storage.retention.time,
      retention_size_bytes: size,
    },
    server: {
      listen_address: raw.server.listen_address,
      port: raw.server.port,
      ...(raw.server.external_url ? { external_url: raw.server.external_url } : {}),
      auth: {
        enabled: raw.server.auth.enabled,
        compat_apis: raw.server.auth.compat_apis,
        secure_cookies: raw.server.auth.secure_cookies,
        trust_proxy: raw.server.auth.trust_proxy,
        session_ttl_ms: raw.server.auth.session_ttl,
      },
    },
    status_page: resolveStatusPageConfig(raw.status_page, raw.probes, (p, msg) => {
      const { line, col } = locate(doc, lc, ['status_page', ...p]);
      throw new ConfigError(file, line, col, fieldName(['status_page', ...p]), msg);
    }),
    incidents: normalizeIncidentsConfig(raw.incidents, raw.incidents?.playbooks_file ? loadPlaybooksFile(resolve(raw.incidents.playbooks_file)) : []),
    state: { ...(raw.state?.postgres_url ? { postgres_url: raw.state.postgres_url } : {}), ...(raw.state?.schema ? { schema: raw.state.schema } : {}) },
    source: src,
  };
}

/** Reads and parses a vigil.yml file; see `parseConfig`. Throws `ConfigError` when unreadable or invalid. */
export async function loadConfig(file: string, options: LoadConfigOptions = {}): Promise<VigilConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, 0, 0, '', `cannot read config file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return parseConfig(text, file, options);
}
