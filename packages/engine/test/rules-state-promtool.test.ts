import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRulesTestReport, runRulesTestFile } from '../src/rules-test/runner.js';

// Differential test of the alert state machine and rule outputs: a flapping series drives rules
// with `for` and `keep_firing_for`, recording rules feed alerting rules, and the ALERTS /
// ALERTS_FOR_STATE series are queried minute by minute. (Ranges avoid a sample exactly at t - range,
// where Prometheus 2.42, the oracle here, and 3.x differ.) Every expectation is left empty so both
// promtool and vigil print what they got; the two reports must be identical.

const RULES = `groups:
- name: rec
  rules:
  - record: job:errors:rate1m
    expr: sum by (job) (rate(errors_total[150s]))
  - record: job:flag
    expr: flag * 10
    labels: {kind: scaled}
- name: alerts
  rules:
  - alert: Flapping
    expr: flag > 0
    for: 2m
    labels: {severity: page, v: "{{ $value }}"}
    annotations: {summary: "{{ $labels.instance }} flag={{ $value }}"}
  - alert: Sticky
    expr: flag > 0
    keep_firing_for: 3m
  - alert: ErrorsHigh
    expr: job:errors:rate1m > 0.5
    for: 1m
    annotations: {rate: "{{ $value | printf \\"%.3f\\" }}"}
`;

function testFile(times: number[]): string {
  const alertTests = times
    .flatMap((t) =>
      ['Flapping', 'Sticky', 'ErrorsHigh'].map(
        (a) =>
          `  - eval_time: ${t}m\n    alertname: ${a}\n    exp_alerts: [{exp_labels: {never: match}}]`,
      ),
    )
    .join('\n');
  const exprTests = times
    .flatMap((t) =>
      ['ALERTS', 'ALERTS_FOR_STATE', 'job:errors:rate1m', 'job:flag'].map(
        (e) =>
          `  - expr: ${e}\n    eval_time: ${t}m\n    exp_samples: [{labels: 'never', value: -1}]`,
      ),
    )
    .join('\n');
  return `rule_files: [r.yml]
evaluation_interval: 1m
group_eval_order: [rec, alerts]
tests:
- interval: 1m
  input_series:
  - series: 'flag{instance="a"}'
    values: '0 1 1 1 0 1 1 1 1 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0'
  - series: 'flag{instance="b"}'
    values: '1x8 _x3 1x5'
  - series: 'errors_total{job="api", instance="a"}'
    values: '0+30x6 180+60x10 780x8'
  - series: 'errors_total{job="api", instance="b"}'
    values: '0+15x24'
  alert_rule_test:
${alertTests}
  promql_expr_test:
${exprTests}
`;
}

describe('alert state machine agrees with promtool', () => {
  it('produces the same alerts and series minute by minute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-state-'));
    writeFileSync(join(dir, 'r.yml'), RULES);
    const file = join(dir, 't.yml');
    writeFileSync(file, testFile([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 18, 20]));
    const r = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw r.error;
    const v = formatRulesTestReport(
      runRulesTestFile(file, { readFile: (f) => readFileSync(f, 'utf8') }),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('alertstate="firing"');
    expect(r.stderr).toContain('alertstate="pending"');
    expect(v.stderr).toBe(r.stderr);
    expect(v.stdout).toBe(r.stdout);
  });
});
