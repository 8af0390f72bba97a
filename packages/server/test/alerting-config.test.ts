import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAlertmanagerConfig, parseAlertmanagerConfig } from '../src/alerting/config/parse.js';
import { AlertingConfigError } from '../src/alerting/errors.js';

const run = promisify(execFile);
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/alertmanager');

async function amtoolAccepts(file: string): Promise<boolean> {
  try {
    await run('amtool', ['check-config', file]);
    return true;
  } catch {
    return false;
  }
}

const invalid: Record<string, [line: number, fragment: string]> = {
  'undefined-receiver': [4, 'undefined receiver "nowhere" used in route'],
  'duplicate-receiver': [5, 'notification config name "default" is not unique'],
  'missing-root-receiver': [2, 'root route must specify a default receiver'],
  'root-matchers': [2, 'root route must not have any matchers'],
  'unknown-field': [3, 'field group_wiat not found'],
  'bad-duration': [3, 'invalid duration "5 minutes" in group_interval'],
  'undefined-time-interval': [5, 'undefined time interval "holidays" used in route'],
  'bad-matcher': [5, 'invalid regular expression'],
  'group-by-wildcard-mixed': [3, 'wildcard group_by'],
  'zero-group-interval': [3, 'group_interval cannot be zero'],
  'missing-route': [1, 'no route provided in config'],
  'receiver-without-name': [5, 'missing name in receiver'],
  'bad-time-range': [7, 'start time cannot be equal or greater than end time'],
  'bad-weekday': [6, 'funday is not a valid weekday'],
  'inhibit-bad-label': [5, 'invalid label name "bad-label"'],
  'unknown-global': [3, 'field smtp_server not found'],
};

describe('alertmanager.yml fixtures', () => {
  const validFiles = fs.readdirSync(path.join(dir, 'valid'));
  it.each(validFiles)('valid/%s: Vigil and amtool check-config both accept it', async (name) => {
    const file = path.join(dir, 'valid', name);
    await expect(loadAlertmanagerConfig(file)).resolves.toBeDefined();
    expect(await amtoolAccepts(file)).toBe(true);
  });

  it('every invalid fixture has an expectation', () => {
    expect(fs.readdirSync(path.join(dir, 'invalid')).map((f) => f.replace(/\.yml$/, '')).sort()).toEqual(Object.keys(invalid).sort());
  });

  it.each(Object.entries(invalid))('invalid/%s.yml: rejected by both with file:line:col', async (name, [line, fragment]) => {
    const file = path.join(dir, 'invalid', `${name}.yml`);
    const err = await loadAlertmanagerConfig(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AlertingConfigError);
    const e = err as AlertingConfigError;
    expect(e.code).toBe('VIGIL_ERR_ALERTING_CONFIG_INVALID');
    expect(e.message).toContain(fragment);
    expect(e.line).toBe(line);
    expect(e.message.startsWith(`${file}:${line}:${e.column}:`)).toBe(true);
    expect(await amtoolAccepts(file)).toBe(false);
  });

  it('reports positions inside an embedding file with an offset', () => {
    const text = 'route:\n  receiver: nowhere\nreceivers:\n  - name: default\n';
    expect(() => parseAlertmanagerConfig(text, 'vigil.yml', { offset: { line: 10, column: 4 } })).toThrow(/^vigil\.yml:12:17: undefined receiver "nowhere"/);
  });

  it('delegates receiver integration validation to the notifiers, with file:line:col', async () => {
    const file = path.join(dir, 'invalid-receiver/webhook-missing-url.yml');
    await expect(loadAlertmanagerConfig(file)).rejects.toMatchObject({ code: 'VIGIL_ERR_RECEIVER_INVALID', message: expect.stringContaining(`${file}:6:`) });
    expect(await amtoolAccepts(file)).toBe(false);
  });

  it('resolves inheritance, defaults and matchers of the full example', async () => {
    const cfg = await loadAlertmanagerConfig(path.join(dir, 'valid/full.yml'));
    expect(cfg.global.resolveTimeoutMs).toBe(300_000);
    expect(cfg.global.values.smtp_hello).toBe('localhost');
    const [pd, slack, warn, db] = cfg.route.routes;
    expect(pd!.groupWaitMs).toBe(10_000);
    expect(pd!.groupIntervalMs).toBe(300_000);
    expect(pd!.continue).toBe(true);
    expect(pd!.groupBy).toEqual(['alertname', 'service']);
    expect(slack!.matchers.map((m) => [m.name, m.type, m.value])).toEqual([['severity', '=', 'critical']]);
    expect(warn!.groupByAll).toBe(true);
    expect(warn!.matchers[0]!.matches('info')).toBe(true);
    expect(warn!.matchers[0]!.matches('critical')).toBe(false);
    expect(db!.routes[0]!.receiver).toBe('email-db');
    expect(db!.routes[0]!.repeatIntervalMs).toBe(1_800_000);
    expect(db!.routes[0]!.matchers).toHaveLength(2);
    expect(cfg.inhibitRules[1]!.equal).toEqual(['service']);
    expect(cfg.timeIntervals.get('weekends')).toHaveLength(2);
    expect((cfg.receivers[0]!.integrations as { configs: unknown[] }).configs).toHaveLength(1);
    expect(cfg.receivers.map((r) => r.name)).toEqual(['default', 'pagerduty-critical', 'slack-critical', 'slack-warnings', 'email-db']);
  });
});
