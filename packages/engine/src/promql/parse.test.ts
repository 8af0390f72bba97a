import { describe, expect, it } from 'vitest';
import { parsePromql, parsePromDuration } from './parse.js';
import { PromqlParseError } from './errors.js';
import { promqlSelectors } from './ast.js';

describe('parsePromql', () => {
  it('builds selectors with offset, @ and matchers', () => {
    const e = parsePromql('rate(foo{a="b",c=~"d.*"}[5m] offset 1m @ start())');
    expect(e.kind).toBe('call');
    if (e.kind !== 'call') return;
    const m = e.args[0]!;
    expect(m).toMatchObject({ kind: 'matrixSelector', rangeMs: 300_000 });
    if (m.kind !== 'matrixSelector') return;
    expect(m.vector).toMatchObject({ name: 'foo', offsetMs: 60_000, at: 'start' });
    expect(m.vector.matchers).toEqual([
      { type: '=', name: '__name__', value: 'foo' },
      { type: '=', name: 'a', value: 'b' },
      { type: '=~', name: 'c', value: 'd.*' },
    ]);
  });

  it('gives ^ right associativity and precedence over unary minus', () => {
    const e = parsePromql('-2 ^ 3 ^ 2');
    expect(e).toMatchObject({ kind: 'unary', expr: { kind: 'binary', op: '^', rhs: { kind: 'binary', op: '^' } } });
  });

  it('parses numbers: hex, durations as seconds, Inf/NaN', () => {
    expect(parsePromql('0x1F')).toEqual({ kind: 'number', value: 31 });
    expect(parsePromql('1h30m')).toEqual({ kind: 'number', value: 5400 });
    expect(parsePromql('-Inf')).toEqual({ kind: 'number', value: -Infinity });
    expect(parsePromDuration('1d2h')).toBe(93_600_000);
  });

  it('unescapes strings', () => {
    expect(parsePromql('"a\\nb\\x41\\u00e9"')).toEqual({ kind: 'string', value: 'a\nbA\u00e9' });
    expect(parsePromql('`raw\\n`')).toEqual({ kind: 'string', value: 'raw\\n' });
  });

  it('reads vector matching and grouping', () => {
    const e = parsePromql('a * on(x) group_left(y) b');
    expect(e).toMatchObject({ matching: { card: 'many-to-one', on: true, labels: ['x'], include: ['y'] } });
    expect(parsePromql('a and b')).toMatchObject({ matching: { card: 'many-to-many' } });
    expect(parsePromql('sum without (a) (x)')).toMatchObject({ kind: 'aggregate', without: true, grouping: ['a'] });
  });

  it('lists selectors', () => {
    expect(promqlSelectors(parsePromql('a / on() b[5m:1m]')).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it.each([
    ['1 +', '1:4: parse error: unexpected end of input'],
    ['rate(foo)', 'expected type range vector in call to function "rate", got instant vector'],
    ['1 > 2', 'comparisons between scalars must use BOOL modifier'],
    ['{a=""}', 'vector selector must contain at least one non-empty matcher'],
    ['1 and 2', 'set operator "and" not allowed in binary scalar expression'],
    ['a + bool b', 'bool modifier can only be used on comparison operators'],
    ['sum(x) offset 5m', 'offset and @ modifiers must be preceded by'],
    ['nope(x)', '1:5: parse error: unexpected "("'],
    ['foo{a=~"("}', 'invalid regular expression'],
    ['a and on(x) group_left b', 'no grouping allowed for "and" operation'],
  ])('rejects %s', (src, msg) => {
    let err: unknown;
    try {
      parsePromql(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PromqlParseError);
    expect((err as PromqlParseError).code).toBe('VIGIL_ERR_PROMQL_PARSE');
    expect((err as Error).message).toContain(msg);
  });
});
