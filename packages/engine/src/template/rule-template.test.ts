import { describe, expect, it } from 'vitest';
import { createRuleTemplateExpander, expandRuleTemplate } from './rule-template.js';
import {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  goTitle,
} from './prometheus-funcs.js';

// Expected strings were produced by promtool 2.42 (Go text/template) on the same templates.
const data = { labels: { __name__: 'm', instance: 'a:1', job: 'api' }, value: 0.123456 };

describe('Prometheus rule templates', () => {
  it('expands $labels, $value and the humanize family like Prometheus', () => {
    expect(
      expandRuleTemplate(
        'X',
        '{{ $labels.instance }} is {{ $value | humanizePercentage }} {{ $labels.nope }}|',
        data,
      ),
    ).toBe('a:1 is 12.35% |');
    expect(
      expandRuleTemplate(
        'X',
        '{{ humanize 1234567 }} {{ humanize1024 1048576 }} {{ humanizeDuration 90061 }} {{ humanizeDuration 0.25 }} {{ humanizeTimestamp 1.5 }}',
        data,
      ),
    ).toBe('1.235M 1Mi 1d 1h 1m 1s 250ms 1970-01-01 00:00:01.5 +0000 UTC');
    expect(
      expandRuleTemplate(
        'X',
        '{{ $value | printf "%.2f" }} {{ reReplaceAll "(.*):.*" "$1" $labels.instance }} {{ title "hello world" }}',
        data,
      ),
    ).toBe('0.12 a Hello World');
    expect(
      expandRuleTemplate(
        'X',
        '{{ humanize 0.000123 }} {{ humanize 0 }} {{ humanizeDuration 3600.5 }} {{ humanizeDuration 59.5 }} {{ humanize1024 "2048" }} {{ toUpper "ab" }} {{ match "^a" "abc" }}',
        data,
      ),
    ).toBe('123u 0 1h 0m 0s 59.5s 2ki AB true');
    expect(
      expandRuleTemplate(
        'X',
        '{{ .Labels.job }} {{ len $labels }} {{ range $k, $v := $labels }}{{$k}}={{$v}},{{ end }}',
        data,
      ),
    ).toBe('api 3 __name__=m,instance=a:1,job=api,');
    expect(
      expandRuleTemplate('X', '{{ $externalLabels.region }} {{ $externalURL }}', {
        ...data,
        externalLabels: { region: 'eu' },
        externalURL: 'http://p',
      }),
    ).toBe('eu http://p');
  });

  it('renders template errors as Prometheus does, never throwing', () => {
    expect(expandRuleTemplate('X', '{{ gt $value 1 }}', data)).toBe(
      '<error expanding template: error executing template __alert_X: template: __alert_X:1:115: executing "__alert_X" at <gt $value 1>: error calling gt: incompatible types for comparison>',
    );
    expect(expandRuleTemplate('X', '{{ .Labels.a.b }}', data)).toBe(
      '<error expanding template: error executing template __alert_X: template: __alert_X:1:122: executing "__alert_X" at <.Labels.a.b>: can\'t evaluate field b in type string>',
    );
    expect(expandRuleTemplate('X', '{{ template "nope" }}', data)).toBe(
      '<error expanding template: error executing template __alert_X: template: __alert_X:1:124: executing "__alert_X" at <{{template "nope"}}>: template "nope" not defined>',
    );
    expect(expandRuleTemplate('X', '{{ query "up" }}', data)).toBe(
      '<error expanding template: error parsing template __alert_X: template: __alert_X:1: function "query" not defined>',
    );
    expect(expandRuleTemplate('X', 'plain text', data)).toBe('plain text');
  });

  it('runs query when a query function is given', () => {
    const query = (expr: string) => [{ Labels: { job: expr }, Value: 2 }];
    expect(
      expandRuleTemplate(
        'X',
        '{{ with query "up" }}{{ . | first | label "job" }}={{ . | first | value }}{{ end }}',
        data,
        { query },
      ),
    ).toBe('up=2');
  });

  it('humanize functions match Prometheus on edge values', () => {
    expect(humanize(1000)).toBe('1k');
    expect(humanize(-1234)).toBe('-1.234k');
    expect(humanize(NaN)).toBe('NaN');
    expect(humanize(Infinity)).toBe('+Inf');
    expect(humanize1024(1)).toBe('1');
    expect(humanize1024(1536)).toBe('1.5ki');
    expect(humanizeDuration(0)).toBe('0s');
    expect(humanizeDuration(-65)).toBe('-1m 5s');
    expect(humanizeDuration(0.0005)).toBe('500us');
    expect(humanizePercentage(0.5)).toBe('50%');
    expect(humanizeTimestamp(1700000000)).toBe('2023-11-14 22:13:20 +0000 UTC');
    expect(goTitle('foo-bar baz_qux')).toBe('Foo-Bar Baz_qux');
  });

  it('a caching expander gives the same results for new data and per-call query functions', () => {
    const ex = createRuleTemplateExpander();
    const t =
      '{{ $labels.job }}={{ $value }}{{ with query "x" }} q={{ . | first | value }}{{ end }}';
    expect(
      ex.expand('A', t, { labels: { job: 'a' }, value: 1 }, () => [{ Labels: {}, Value: 7 }]),
    ).toBe('a=1 q=7');
    expect(
      ex.expand('A', t, { labels: { job: 'b' }, value: 2 }, () => [{ Labels: {}, Value: 8 }]),
    ).toBe('b=2 q=8');
    expect(ex.expand('A', t, { labels: { job: 'c' }, value: 3 })).toMatch(
      /function "query" not defined/,
    );
    expect(ex.expand('A', '{{ if }}', { labels: {}, value: 0 })).toBe(
      '<error expanding template: error parsing template __alert_A: template: __alert_A:1: missing value for if>',
    );
  });
});
