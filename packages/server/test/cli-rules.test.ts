import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';

// The rule files distilled from the five reference guides, and their promtool-format unit tests,
// run through `vigil check rules` / `vigil test rules` AND the real promtool (Debian's 2.42): both
// must accept them, and on the deliberately failing files both must fail with the same report.

const RULES_DIR = resolve(import.meta.dirname, '../../../rules');
const FAILING_DIR = join(RULES_DIR, 'failing');

async function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function promtool(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.rules.yml'))
  .sort()
  .map((f) => join(RULES_DIR, f));
const testFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .sort()
  .map((f) => join(RULES_DIR, f));
const failingFiles = readdirSync(FAILING_DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .sort()
  .map((f) => join(FAILING_DIR, f));

describe('rules/ from the five reference guides', () => {
  it('has one rule file and one test file per guide', () => {
    const names = [...ruleFiles, ...testFiles].map((f) => f.slice(RULES_DIR.length + 1));
    for (const i of [0, 1, 2, 3, 4])
      expect(names).toEqual(
        expect.arrayContaining([`guide-00${i}.rules.yml`, `guide-00${i}.test.yml`]),
      );
    expect(failingFiles.length).toBeGreaterThanOrEqual(3);
  });

  // every rule file in rules/ (the guides' and the monitor's default pack)
  it.each(ruleFiles)('%s passes vigil check rules and promtool check rules', async (file) => {
    const v = await vigil(['check', 'rules', file]);
    const p = promtool(['check', 'rules', '--lint=none', file]);
    expect(p.code).toBe(0);
    expect(v.code).toBe(0);
    expect(v.stderr).toBe('');
    expect(v.stdout).toBe(p.stdout);
  });

  it.each(testFiles)('%s passes under vigil test rules and promtool test rules', async (file) => {
    const v = await vigil(['test', 'rules', file]);
    const p = promtool(['test', 'rules', file]);
    expect(p.stderr + p.stdout).toContain('SUCCESS');
    expect(p.code).toBe(0);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(p.stdout);
  });

  it.each(failingFiles)('%s fails under both tools alike', async (file) => {
    const v = await vigil(['test', 'rules', file]);
    const p = promtool(['test', 'rules', file]);
    expect(p.code).toBe(1);
    expect(v.code).toBe(1);
    expect(v.stdout).toBe(p.stdout);
    expect(v.stderr).toContain('  FAILED:\n');
    if (!file.endsWith('broken-rule-file.test.yml')) expect(v.stderr).toBe(p.stderr);
    else
      expect(v.stderr).toMatch(
        /broken-rules\.yml:5:15: group "broken", rule 1, "Unbalanced": could not parse expression: 1:33: parse error/,
      );
  });
});

describe('vigil check rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-rules-'));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reports every problem with file:line:column, on stderr, and exits 1', async () => {
    const bad = write(
      'bad.yml',
      [
        'groups:',
        '- name: g',
        '  rules:',
        '  - alert: X',
        '    expr: sum(up',
        '  - record: job:foo',
        '    expr: sum(x)',
        '    for: 5m',
        '  - alert: Y',
        '    expr: up == 0',
        '    annotations:',
        '      s: "{{ $labels.x "',
        '- name: g',
        '  rules: []',
        '',
      ].join('\n'),
    );
    const good = write(
      'good.yml',
      'groups:\n- name: ok\n  rules:\n  - alert: A\n    expr: up == 0\n  - record: a:b\n    expr: sum(up)\n',
    );
    const r = await vigil(['check', 'rules', good, bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`Checking ${good}\n  SUCCESS: 2 rules found\n\nChecking ${bad}\n\n`);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('  FAILED:');
    expect(lines[1]).toMatch(
      new RegExp(
        `^${bad}:5:11: group "g", rule 1, "X": could not parse expression: 1:\\d+: parse error`,
      ),
    );
    expect(lines.slice(2, 5)).toEqual([
      `${bad}:6:13: group "g", rule 2, "job:foo": invalid field 'for' in recording rule`,
      `${bad}:12:7: group "g", rule 3, "Y": annotation "s": template: __alert_Y:1: unclosed action`,
      `${bad}:13:3: groupname: "g" is repeated in the same file`,
    ]);
  });

  it('flags unknown fields and bad durations like promtool, exits 2 for usage and unreadable files', async () => {
    const f = write('unknown.yml', 'groups:\n- name: g\n  interval: 5x\n  foo: 1\n  rules: []\n');
    const r = await vigil(['check', 'rules', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `  FAILED:\n${f}:4:3: field foo not found in type rulefmt.RuleGroup\n${f}:3:13: not a valid duration string: "5x"\n`,
    );
    expect((await vigil(['check', 'rules'])).code).toBe(2);
    const missing = await vigil(['check', 'rules', join(dir, 'nope.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
  });
});

const BROKEN: Record<string, string> = {
  'record-with-for': 'groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: up\n    for: 5m\n',
  'repeated-group': 'groups:\n- name: g\n  rules: []\n- name: g\n  rules: []\n',
  'empty-group-name': 'groups:\n- name: ""\n  rules: []\n',
  'unknown-field': 'groups:\n- name: g\n  foo: 1\n  rules: []\n',
  'bad-label-name':
    'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {"a-b": x}\n',
  'bad-annotation-name':
    'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations: {"0x": y}\n',
  'bad-template':
    'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations: {s: "{{ $labels.x "}\n',
  'unknown-function':
    'groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {s: "{{ nope 1 }}"}\n',
  'bad-record-name': 'groups:\n- name: g\n  rules:\n  - record: 1bad\n    expr: up\n',
  'no-record-or-alert': 'groups:\n- name: g\n  rules:\n  - expr: up\n',
  'bad-duration': 'groups:\n- name: g\n  interval: 5x\n  rules: []\n',
};

describe('vigil check rules agrees with promtool check rules on invalid files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-rules-broken-'));
  it.each(Object.keys(BROKEN))('%s: both exit 1 with the same message', async (name) => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, BROKEN[name]!);
    const v = await vigil(['check', 'rules', file]);
    const p = promtool(['check', 'rules', '--lint=none', file]);
    expect(p.code).toBe(1);
    expect(v.code).toBe(1);
    expect(v.stdout).toBe(p.stdout);
    // promtool writes "FILE: [L:C: ]message" (or a yaml "line N:" list); vigil always "FILE:L:C: message"
    const strip = (line: string): string =>
      line
        .replace(file + ': ', '')
        .replace(/^(\d+:\d+: )+/, '')
        .replace(/^ {2}line \d+: /, '')
        .replace(file, '')
        .replace(/^:\d+:\d+: /, '');
    const theirs = p.stderr
      .split('\n')
      .filter((l) => l !== '' && l !== '  FAILED:' && l !== `${file}: yaml: unmarshal errors:`)
      .map(strip);
    const ours = v.stderr
      .split('\n')
      .filter((l) => l !== '' && l !== '  FAILED:')
      .map(strip);
    expect(ours).toEqual(theirs);
  });
});

describe('vigil test rules', () => {
  it('needs a file, and --run selects test groups by name', async () => {
    expect((await vigil(['test', 'rules'])).code).toBe(2);
    const file = join(FAILING_DIR, 'wrong-timing.test.yml');
    const r = await vigil(['test', 'rules', '--run', 'no-such-group', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Unit Testing:  ${file}\n  SUCCESS\n\n`);
  });
});
