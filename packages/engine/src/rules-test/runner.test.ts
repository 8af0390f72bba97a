import { describe, expect, it } from 'vitest';
import { formatRulesTestReport, runRulesTestFile, type RulesTestFs } from './runner.js';

function memFs(files: Record<string, string>): RulesTestFs {
  return {
    readFile(p) {
      const v = files[p];
      if (v === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return v;
    },
    glob(pattern) {
      const re = new RegExp('^' + pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*') + '$');
      return Object.keys(files)
        .filter((f) => re.test(f))
        .sort();
    },
  };
}

const RULES = `groups:
- name: first
  rules:
  - record: doubled
    expr: x * 2
- name: second
  rules:
  - alert: Big
    expr: doubled > 10
    for: 1m
    labels: {dc: "{{ $externalLabels.dc }}"}
    annotations: {url: "{{ $externalURL }}", v: "{{ $value }}"}
`;

describe('promtool test rules runner', () => {
  it('passes a correct test file, using external_labels/external_url and globbed rule_files', () => {
    const fs = memFs({
      '/t/rules/a.rules.yml': RULES,
      '/t/test.yml': `rule_files: ['rules/*.rules.yml']
evaluation_interval: 1m
group_eval_order: [first, second]
tests:
- interval: 1m
  external_labels: {dc: eu}
  external_url: http://vigil
  input_series:
  - series: 'x{job="a"}'
    values: '1 6x5'
  alert_rule_test:
  - eval_time: 1m
    alertname: Big
    exp_alerts: []
  - eval_time: 2m
    alertname: Big
    exp_alerts:
    - exp_labels: {job: a, dc: eu}
      exp_annotations: {url: http://vigil, v: "12"}
  promql_expr_test:
  - expr: doubled
    eval_time: 150s
    exp_samples:
    - labels: 'doubled{job="a"}'
      value: 12
`,
    });
    const r = runRulesTestFile('/t/test.yml', fs);
    expect(r.errors).toEqual([]);
    expect(r.passed).toBe(true);
    expect(formatRulesTestReport(r)).toEqual({
      stdout: 'Unit Testing:  /t/test.yml\n  SUCCESS\n\n',
      stderr: '',
    });
  });

  it('reports failures in promtool format', () => {
    const fs = memFs({
      '/r.yml': RULES,
      '/t.yml': `rule_files: [r.yml]
tests:
- name: grp
  input_series:
  - series: 'x{job="a"}'
    values: '6x5'
  alert_rule_test:
  - eval_time: 1m
    alertname: Big
    exp_alerts: []
  promql_expr_test:
  - expr: doubled
    eval_time: 1m
    exp_samples:
    - labels: 'doubled{job="a"}'
      value: 1.5
`,
    });
    const r = runRulesTestFile('/t.yml', fs);
    expect(r.passed).toBe(false);
    expect(r.errors).toEqual([
      '    name: grp,\n    alertname: Big, time: 1m, \n        exp:[], \n        got:[\n            0:\n              Labels:{alertname="Big", job="a"}\n              Annotations:{url="", v="12"}\n            ]',
      '    expr: "doubled", time: 1m,\n        exp: {__name__="doubled", job="a"} 1.5E+00\n        got: {__name__="doubled", job="a"} 1.2E+01',
    ]);
    const out = formatRulesTestReport(r);
    expect(out.stdout).toBe('Unit Testing:  /t.yml\n\n\n\n');
    expect(out.stderr.startsWith('  FAILED:\n    name: grp,\n')).toBe(true);
  });

  it('rejects unknown fields like yaml.UnmarshalStrict, missing rule files, and evaluation errors', () => {
    const strict = runRulesTestFile(
      '/t.yml',
      memFs({ '/t.yml': 'rule_files: []\nbogus: 1\ntests:\n- intervall: 1m\n' }),
    );
    expect(strict.errors).toEqual([
      'yaml: unmarshal errors:\n  line 2: field bogus not found in type main.unitTestFile\n  line 4: field intervall not found in type main.testGroup',
    ]);
    const missing = runRulesTestFile(
      '/t.yml',
      memFs({ '/t.yml': 'rule_files: [nope.yml, "*.none"]\ntests: []\n' }),
    );
    expect(missing.errors).toEqual(['/nope.yml: open /nope.yml: no such file or directory']);
    expect(missing.warnings).toEqual(['  WARNING: no file match pattern /*.none']);
    const evalErr = runRulesTestFile(
      '/t.yml',
      memFs({
        '/r.yml': 'groups:\n- name: g\n  rules:\n  - record: y\n    expr: x[5m]\n',
        '/t.yml':
          'rule_files: [r.yml]\ntests:\n- input_series: [{series: x, values: "1 2"}]\n  promql_expr_test: [{expr: x, eval_time: 1m}]\n',
      }),
    );
    expect(evalErr.errors).toEqual([
      '    rule: y, time: 0s, err: rule result is not a vector or scalar',
    ]);
    expect(runRulesTestFile('/none.yml', memFs({})).errors).toEqual([
      'open /none.yml: no such file or directory',
    ]);
  });
});
