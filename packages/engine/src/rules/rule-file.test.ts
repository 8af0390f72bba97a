import { describe, expect, it } from 'vitest';
import { checkRuleFile, parseRuleFile } from './rule-file.js';
import { RuleFileError, formatRuleProblem } from './errors.js';
import { formatDuration, parseDuration } from './duration.js';

const GOOD = `groups:
  - name: api
    interval: 30s
    query_offset: 1m
    limit: 10
    labels: {team: core}
    rules:
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
        labels: {source: rules}
      - alert: HighErrors
        expr: job:http_requests:rate5m > 1
        for: 5m
        keep_firing_for: 2m
        labels: {severity: page}
        annotations:
          summary: "{{ $labels.job }} is failing"
`;

describe('rule files', () => {
  it('parses groups and rules with all fields and positions', () => {
    const f = parseRuleFile('r.yml', GOOD);
    expect(f.groups).toHaveLength(1);
    const g = f.groups[0]!;
    expect(g).toMatchObject({
      name: 'api',
      file: 'r.yml',
      intervalMs: 30_000,
      queryOffsetMs: 60_000,
      limit: 10,
      labels: { team: 'core' },
    });
    expect(g.rules[0]).toEqual({
      kind: 'recording',
      record: 'job:http_requests:rate5m',
      expr: 'sum by (job) (rate(http_requests_total[5m]))',
      labels: { source: 'rules' },
      position: { line: 8, column: 17 },
    });
    expect(g.rules[1]).toMatchObject({
      kind: 'alerting',
      alert: 'HighErrors',
      forMs: 300_000,
      keepFiringForMs: 120_000,
      labels: { severity: 'page' },
      annotations: { summary: '{{ $labels.job }} is failing' },
      position: { line: 11, column: 16 },
    });
  });

  it('accepts an empty file and keeps numbers in expressions as written', () => {
    expect(checkRuleFile('e.yml', '')).toEqual({ groups: [], problems: [], ruleCount: 0 });
    const f = parseRuleFile(
      'n.yml',
      'groups:\n- name: g\n  rules:\n  - record: one\n    expr: 1.50\n',
    );
    expect(f.groups[0]!.rules[0]).toMatchObject({ expr: '1.50' });
  });

  it('reports every problem with line and column, in promtool wording', () => {
    const text = [
      'groups:',
      '- name: ""',
      '  rules:',
      '  - expr: up',
      '  - alert: A',
      '    record: b',
      '    expr: up',
      '  - record: "1bad"',
      '    expr: up',
      '    labels: {"a-b": x}',
      '  - alert: ok',
      '    expr: up',
      '    annotations: {"0x": y}',
      '    keep_firing_for: soon',
      '  - alert: T',
      '    expr: up',
      '    labels: {sev: "{{ nope }}"}',
      '',
    ].join('\n');
    const r = checkRuleFile('bad.yml', text);
    expect(r.problems.map(formatRuleProblem)).toEqual([
      'bad.yml:2:3: Groupname must not be empty',
      `bad.yml:4:5: group "", rule 1, "": one of 'record' or 'alert' must be set`,
      `bad.yml:6:13: group "", rule 2, "A": only one of 'record' and 'alert' must be set`,
      'bad.yml:8:13: group "", rule 3, "1bad": invalid recording rule name: 1bad',
      'bad.yml:10:14: group "", rule 3, "1bad": invalid label name: a-b',
      'bad.yml:14:22: group "", rule 4, "ok": not a valid duration string: "soon"',
      'bad.yml:13:19: group "", rule 4, "ok": invalid annotation name: 0x',
      'bad.yml:17:14: group "", rule 5, "T": label "sev": template: __alert_T:1: function "nope" not defined',
    ]);
    expect(() => parseRuleFile('bad.yml', text)).toThrow(RuleFileError);
    try {
      parseRuleFile('bad.yml', text);
    } catch (e) {
      expect((e as RuleFileError).code).toBe('VIGIL_ERR_RULE_INVALID');
      expect((e as RuleFileError).problems).toHaveLength(8);
    }
  });

  it('rejects unknown fields, YAML syntax errors and bad expressions', () => {
    expect(checkRuleFile('u.yml', 'foo: 1\n').problems.map(formatRuleProblem)).toEqual([
      'u.yml:1:1: field foo not found in type rulefmt.RuleGroups',
    ]);
    expect(checkRuleFile('y.yml', 'groups:\n- name: g\n  rules: [\n').problems[0]!.message).toMatch(
      /^yaml: /,
    );
    const p = checkRuleFile(
      'x.yml',
      'groups:\n- name: g\n  rules:\n  - alert: X\n    expr: rate(up[5m]) +\n',
    ).problems;
    expect(formatRuleProblem(p[0]!)).toMatch(
      /^x\.yml:5:11: group "g", rule 1, "X": could not parse expression: /,
    );
  });

  it('allows the query function in templates, as promtool does', () => {
    expect(
      checkRuleFile(
        'q.yml',
        'groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up\n    annotations: {a: "{{ with query \\"up\\" }}{{ . | first | value }}{{ end }}"}\n',
      ).problems,
    ).toEqual([]);
  });
});

describe('durations', () => {
  it('parse and print like Prometheus', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1d2h')).toBe(93_600_000);
    expect(parseDuration('1.5h')).toBeNull();
    expect(parseDuration('5x')).toBeNull();
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_500)).toBe('1d1h1m1s500ms');
  });
});
