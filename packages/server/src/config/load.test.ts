import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { parseConfig } from './load.js';

function fail(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, 'vigil.yml', { env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies Prometheus defaults and resolves durations', () => {
    const c = parseConfig('scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [h:1]\n', '/etc/vigil/vigil.yml', { env: {} });
    expect(c.global).toEqual({ scrape_interval_ms: 60_000, scrape_timeout_ms: 10_000, evaluation_interval_ms: 60_000, external_labels: {} });
    expect(c.scrape_configs[0]).toMatchObject({ job_name: 'a', scrape_interval_ms: 60_000, scrape_timeout_ms: 10_000, metrics_path: '/metrics', scheme: 'http', honor_labels: false });
    expect(c.server).toEqual({
      listen_address: '127.0.0.1',
      port: 9090,
      auth: { enabled: true, compat_apis: 'open', secure_cookies: false, trust_proxy: false, session_ttl_ms: 12 * 3_600_000 },
    });
    expect(c.alerting).toEqual({ mode: 'none' });
  });

  it('reads server.auth and names its bad fields', () => {
    const c = parseConfig('server:\n  auth:\n    compat_apis: token\n    session_ttl: 30m\n    secure_cookies: true\n', 'v.yml', { env: {} });
    expect(c.server.auth).toEqual({ enabled: true, compat_apis: 'token', secure_cookies: true, trust_proxy: false, session_ttl_ms: 1_800_000 });
    expect(fail('server:\n  auth:\n    compat_apis: closed\n').message).toMatch(/^vigil\.yml:3:18: server\.auth\.compat_apis: /);
    expect(fail('server:\n  auth:\n    session_ttl: forever\n').message).toMatch(/^vigil\.yml:3:18: server\.auth\.session_ttl: not a valid duration/);
    expect(fail('server:\n  auth:\n    admin_password: x\n').message).toMatch(/^vigil\.yml:3:5: server\.auth\.admin_password: unknown field/);
  });

  it('interpolates ${VAR} and ${VAR:-default}, and names unset variables', () => {
    const c = parseConfig('global:\n  scrape_interval: ${IVL}\n  external_labels:\n    env: ${ENV:-dev}\n', 'v.yml', { env: { IVL: '200ms' } });
    expect(c.global.scrape_interval_ms).toBe(200);
    expect(c.global.external_labels).toEqual({ env: 'dev' });
    expect(fail('scrape_configs:\n  - job_name: a\n    bearer_token: ${TOKEN}\n').message).toMatch(/vigil\.yml:3:19: environment variable TOKEN is not set/);
  });

  it('names file:line:column and the field for bad values, unknown fields and YAML errors', () => {
    expect(fail('global:\n  scrape_interval: 5x\n').message).toBe('vigil.yml:2:20: global.scrape_interval: not a valid duration (e.g. 15s, 1m, 200ms)');
    const unknown = fail('scrape_configs:\n  - job_name: a\n    scrape_intreval: 1s\n');
    expect([unknown.line, unknown.column, unknown.field]).toEqual([3, 5, 'scrape_configs[0].scrape_intreval']);
    expect(fail('global: [\n').message).toMatch(/^vigil\.yml:\d+:\d+: YAML syntax error/);
    expect(fail('scrape_configs:\n  - job_name: a\n  - job_name: a\n').message).toMatch(/vigil\.yml:3:15: scrape_configs\[1\]\.job_name: duplicate job_name "a"/);
    expect(fail('scrape_configs:\n  - job_name: a\n    scrape_interval: 1s\n    scrape_timeout: 2s\n').field).toBe('scrape_configs[0].scrape_timeout');
    expect(fail('scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n').message).toMatch(/modulus is required/);
    expect(fail('alerting:\n  config_file: a.yml\n  forward_to: [http://am:9093]\n').message).toMatch(/set only one of/);
  });

  it('reads alerting modes and storage sizes', () => {
    const f = parseConfig('alerting:\n  forward_to: [http://am:9093]\nstorage:\n  data_dir: data\n  retention:\n    time: 2d\n    size: 1GB\n', '/srv/vigil.yml', { env: {} });
    expect(f.alerting).toEqual({ mode: 'forward', forward_to: ['http://am:9093'] });
    expect(f.storage).toEqual({ data_dir: '/srv/data', retention_time_ms: 2 * 86_400_000, retention_size_bytes: 1024 ** 3 });
    const i = parseConfig('alerting:\n  config:\n    route:\n      receiver: r\n    receivers:\n      - name: r\n', 'v.yml', { env: {} });
    expect(i.alerting.mode).toBe('inline');
  });
});
