import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRulesTestReport, runRulesTestFile } from '../src/rules-test/runner.js';

// Differential test of the Go template engine and Prometheus's template functions: a corpus of
// annotation templates is expanded by real promtool (Go text/template) and by vigil; promtool
// prints every expanded annotation in its failure report, so the two reports must be identical.

const TEMPLATES: string[] = [
  '{{ $labels.instance }} {{ $labels.missing }}|{{ .Labels.job }} {{ $value }} {{ .Value }}',
  '{{ $value | humanize }} {{ humanize 1234567 }} {{ humanize 0.000123 }} {{ humanize -1500 }} {{ humanize 0 }}',
  '{{ humanize1024 1048576 }} {{ humanize1024 1 }} {{ humanize1024 "2048" }} {{ humanize1024 1e20 }}',
  '{{ humanizeDuration 90061 }} {{ humanizeDuration 0.25 }} {{ humanizeDuration 3600.5 }} {{ humanizeDuration 59.5 }} {{ humanizeDuration -65 }} {{ humanizeDuration 0 }} {{ humanizeDuration 0.0000005 }}',
  '{{ humanizePercentage 0.123456 }} {{ humanizePercentage 1 }} {{ humanizeTimestamp 1.5 }} {{ humanizeTimestamp 1700000000 }}',
  '{{ printf "%.2f|%5.1f|%-6d|%06.2f|%+d|%x|%X|%o|%e|%g|%G" 3.14159 2.25 7 3.14159 5 255 255 8 1234.5678 0.00001234 1e21 }}',
  '{{ printf "%s|%q|%v|%10s|%-10s|%.3s" "abc" "q\\"t" 1e6 "r" "l" "truncate" }}',
  '{{ printf "%d %s" 1.5 }} {{ printf "%t %v" true 3 }} {{ printf "%d" 1 2 }}',
  '{{ print 1 2 "a" 3 }}|{{ println "x" 1 }}|{{ 1.0 }} {{ 123456789.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1e100 }} {{ -0.5 }}',
  '{{ title "hello wOrld-foo bar_baz" }} {{ toUpper "abc" }} {{ toLower "ABC" }} {{ "x" | safeHtml }}',
  '{{ reReplaceAll "(.*):(\\\\d+)" "$2 on $1" $labels.instance }} {{ reReplaceAll "a" "$$" "banana" }} {{ match "^app" $labels.instance }} {{ match "x" "y" }}',
  '{{ html "<a href=\'x\'>&\\"" }} {{ js "a\'b\\"c<>=&" }} {{ urlquery "a b&c/é" }}',
  '{{ if gt $value 1.0 }}big{{ else if eq $value 1.0 }}one{{ else }}small{{ end }} {{ if and $labels.job (ne $labels.job "x") }}ok{{ end }} {{ or "" "dflt" }} {{ not false }}',
  '{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }} {{ len $labels }} {{ index $labels "job" }}|{{ index $labels "nope" }}|',
  '{{ with $labels.job }}job={{ . }}{{ else }}none{{ end }} {{ with $labels.nope }}x{{ else }}empty{{ end }}',
  '{{- $x := 1 -}} {{ $x }} {{- $x = 2 }} {{ $x }} {{/* comment */}} {{ define "t" }}[{{ . }}]{{ end }}{{ template "t" $labels.job }}',
  '{{ $externalLabels.dc }} {{ $externalURL }}',
  '{{ lt 1 2 }} {{ le 2.5 2.5 }} {{ ge "b" "a" }} {{ eq "a" "b" "a" }} {{ len "héllo" }}',
  '{{ gt $value 1 }}',
  '{{ .Labels.job.foo }}',
  '{{ index $labels 1 }}',
  '{{ template "missing" }}',
  '{{ humanize "abc" }}',
  '{{ printf "%d" }}',
  '{{ $labels.instance | printf "%q" }} {{ "tab\\there" }} {{ `raw\\n` }}',
];

function promtool(args: string[]): { code: number; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, out: r.stdout + '\n--stderr--\n' + r.stderr };
}

describe('rule templates agree with promtool (Go text/template)', () => {
  it('expands the corpus exactly as promtool does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tmpl-'));
    const annotations = TEMPLATES.map(
      (t, i) => `      a${String(i).padStart(2, '0')}: ${JSON.stringify(t)}`,
    ).join('\n');
    writeFileSync(
      join(dir, 'r.yml'),
      `groups:\n- name: g\n  rules:\n  - alert: T\n    expr: m > 0\n    labels: {sev: "{{ $labels.job }}-{{ $value }}"}\n    annotations:\n${annotations}\n`,
    );
    writeFileSync(
      join(dir, 't.yml'),
      `rule_files: [r.yml]
tests:
- interval: 1m
  external_labels: {dc: eu-1}
  external_url: http://prom.example:9090/sub
  input_series:
  - series: 'm{instance="app-1:8080", job="api", quote="say \\"hi\\" ü"}'
    values: '0.123456x5'
  alert_rule_test:
  - eval_time: 2m
    alertname: T
    exp_alerts: []
`,
    );
    const file = join(dir, 't.yml');
    const p = promtool(['test', 'rules', file]);
    const report = runRulesTestFile(file, { readFile: (f) => readFileSync(f, 'utf8') });
    const v = formatRulesTestReport(report);
    expect(p.code).toBe(1);
    expect(p.out).toContain('Annotations:{a00=');
    expect(v.stdout + '\n--stderr--\n' + v.stderr).toBe(p.out);
  });
});
