import { describe, expect, it } from 'vitest';
import { createTemplateSet, executeTemplate, parseTemplate } from './template.js';
import { TemplateExecError, TemplateParseError } from './errors.js';

const run = (text: string, data: unknown = {}, funcs = {}): string =>
  executeTemplate(parseTemplate('t', text, { funcs }), data);
const err = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('Go text/template engine', () => {
  it('prints fields, variables and <no value> for missing keys', () => {
    expect(run('hello {{ .name }}! {{ .missing }}', { name: 'x' })).toBe('hello x! <no value>');
    expect(run('{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}')).toBe('12');
    expect(run('{{ $.a.b }}', { a: { b: 'deep' } })).toBe('deep');
  });

  it('trims whitespace with {{- and -}} and drops comments', () => {
    expect(run('a  \n {{- 1 -}} \n  b {{/* c */}}d {{- /* x */ -}} e')).toBe('a1b de');
  });

  it('handles if / else if / else, with and range with $i and $e, break and continue', () => {
    const t = '{{ if eq .a "x" }}X{{ else if eq .a "y" }}Y{{ else }}N{{ end }}';
    expect(run(t, { a: 'y' })).toBe('Y');
    expect(run(t, { a: 'z' })).toBe('N');
    expect(run('{{ with .a }}[{{ . }}]{{ else }}empty{{ end }}', { a: '' })).toBe('empty');
    expect(run('{{ with .a }}[{{ . }}]{{ end }}', { a: 'v' })).toBe('[v]');
    expect(run('{{ range $i, $e := .l }}{{ $i }}={{ $e }};{{ end }}', { l: ['a', 'b'] })).toBe(
      '0=a;1=b;',
    );
    expect(run('{{ range .l }}{{ . }}{{ else }}none{{ end }}', { l: [] })).toBe('none');
    expect(
      run('{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}', { m: { b: '2', a: '1' } }),
    ).toBe('a:1 b:2 ');
    expect(
      run(
        '{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}',
        { l: [1n, 2n, 3n, 4n, 5n] },
      ),
    ).toBe('13');
  });

  it('supports define / template / block and a template set', () => {
    expect(run('{{ define "x" }}X({{ . }}){{ end }}{{ template "x" .v }}', { v: 3.5 })).toBe(
      'X(3.5)',
    );
    expect(run('{{ block "b" . }}default {{ .n }}{{ end }}', { n: 1 })).toBe('default 1');
    const set = createTemplateSet({ funcs: { up: (s: string) => s.toUpperCase() } });
    set.add('defs', '{{ define "greet" }}Hi {{ .name | up }}{{ end }}');
    set.add('main', '{{ template "greet" . }}!');
    expect(set.execute('main', { name: 'ann' })).toBe('Hi ANN!');
    expect(set.names()).toEqual(['defs', 'greet', 'main']);
  });

  it('has the comparison, logic, len, index, print and escaping builtins', () => {
    expect(
      run(
        '{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge "b" "a" }} {{ ne 1 2 }} {{ eq 1 3 2 1 }}',
      ),
    ).toBe('true true false true true true');
    expect(run('{{ and 1 0 }} {{ or 0 "" "z" }} {{ not true }} {{ and 1 "x" }}')).toBe(
      '0 z false x',
    );
    expect(
      run('{{ len .l }} {{ len "héllo" }} {{ index .l 1 }} {{ index .m "k" }}', {
        l: [1, 2],
        m: { k: 'v' },
      }),
    ).toBe('2 6 2 v');
    expect(run('{{ print 1 2 "a" 3 }}|{{ println "a" 1 }}|{{ printf "%s-%d" "x" 7 }}')).toBe(
      '1 2a3|a 1\n|x-7',
    );
    expect(run(`{{ html "<a href='x'>&\\"" }} {{ js "a'b<" }} {{ urlquery "a b&c/é" }}`)).toBe(
      "&lt;a href=&#39;x&#39;&gt;&amp;&#34; a\\'b\\u003C a+b%26c%2F%C3%A9",
    );
    expect(run('{{ "abc" | printf "%q" }} {{ `raw\\n` }} {{ \'a\' }} {{ 0x1F }} {{ 1e3 }}')).toBe(
      '"abc" raw\\n 97 31 1000',
    );
  });

  it('formats numbers like Go', () => {
    expect(
      run('{{ 1.0 }} {{ 123456789.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ .f }} {{ .big }}', {
        f: 1 / 3,
        big: 1e21,
      }),
    ).toBe('1 1.23456789e+08 0.0001 1e-05 0.3333333333333333 1e+21');
    expect(
      run(
        '{{ printf "%v %d %s %q %5.1f|%-4d|%x|%.2f|%.0f|%e|%g|%08.3f|%+d" 0.1 3 "s" "q" 2.25 7 255 0.125 2.5 1234.5678 0.00001234 -3.14159 5 }}',
      ),
    ).toBe('0.1 3 s "q"   2.2|7   |ff|0.12|2|1.234568e+03|1.234e-05|-003.142|+5');
    expect(
      run(
        '{{ printf "%d" 1.5 }} {{ printf "%s" }} {{ printf "%d" 1 2 }} {{ printf "%t %v" true .x }}',
        { x: [1, 'a'] },
      ),
    ).toBe('%!d(float64=1.5) %!s(MISSING) 1%!(EXTRA int=2) true [1 a]');
  });

  it('prints Dates as Go prints a time.Time', () => {
    expect(run('{{ .d }}', { d: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 600)) })).toBe(
      '2024-01-02 03:04:05.6 +0000 UTC',
    );
  });

  it('calls user functions and methods on the data', () => {
    const data = {
      Alerts: {
        list: ['a', 'b'],
        Firing() {
          return this.list;
        },
      },
      Names: () => ['x', 'y'],
    };
    expect(run('{{ len .Alerts.Firing }} {{ range .Names }}{{ . }}{{ end }}', data)).toBe('2 xy');
    expect(
      run('{{ join .l "," }}', { l: ['a', 'b'] }, { join: (l: string[], s: string) => l.join(s) }),
    ).toBe('a,b');
  });

  it('reports parse errors as Go does', () => {
    expect(err(() => parseTemplate('t', '{{ foo }}'))).toBe(
      'template: t:1: function "foo" not defined',
    );
    expect(err(() => parseTemplate('t', 'a\n{{ $x }}'))).toBe(
      'template: t:2: undefined variable "$x"',
    );
    expect(err(() => parseTemplate('t', '{{ if 1 }}'))).toBe('template: t:1: unexpected EOF');
    expect(err(() => parseTemplate('t', '{{ end }}'))).toBe('template: t:1: unexpected {{end}}');
    expect(() => parseTemplate('t', '{{ .a')).toThrow(TemplateParseError);
  });

  it('reports execution errors with line, column and node as Go does', () => {
    expect(err(() => run('{{ gt .v 1 }}', { v: 2 }))).toBe(
      'template: t:1:3: executing "t" at <gt .v 1>: error calling gt: incompatible types for comparison',
    );
    expect(err(() => run('x\n  {{ .a.b.c }}', { a: 's' }))).toBe(
      'template: t:2:7: executing "t" at <.a.b.c>: can\'t evaluate field b in type string',
    );
    expect(err(() => run('{{ template "nope" }}'))).toBe(
      'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
    );
    expect(err(() => run('{{ index .l 5 }}', { l: [1] }))).toBe(
      'template: t:1:3: executing "t" at <index .l 5>: error calling index: index out of range: 5',
    );
    expect(() => run('{{ len 3 }}')).toThrow(TemplateExecError);
  });

  it('honours missingkey=zero and missingkey=error', () => {
    expect(
      executeTemplate(parseTemplate('t', '[{{ .m.x }}]', { missingKey: 'zero' }), {
        m: { a: 'b' },
      }),
    ).toBe('[]');
    expect(
      err(() => executeTemplate(parseTemplate('t', '{{ .x }}', { missingKey: 'error' }), {})),
    ).toBe('template: t:1:3: executing "t" at <.x>: map has no entry for key "x"');
  });
});
