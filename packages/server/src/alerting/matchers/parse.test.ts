import { describe, expect, it } from 'vitest';
import { matchersToString } from './matcher.js';
import { parseMatcher, parseMatchers } from './parse.js';

describe('parseMatchers', () => {
  it('parses every operator, quoted and bare values, braces', () => {
    const ms = parseMatchers('{a="b", c!="d", e=~"f|g", h!~"i.*", j=k}');
    expect(ms.map((m) => [m.name, m.type, m.value])).toEqual([
      ['a', '=', 'b'],
      ['c', '!=', 'd'],
      ['e', '=~', 'f|g'],
      ['h', '!~', 'i.*'],
      ['j', '=', 'k'],
    ]);
    expect(matchersToString(ms)).toBe('{a="b", c!="d", e=~"f|g", h!~"i.*", j="k"}');
  });
  it('parses UTF-8 label names and escapes', () => {
    const m = parseMatcher('"service name"="say \\"hi\\""');
    expect(m.name).toBe('service name');
    expect(m.value).toBe('say "hi"');
  });
  it('anchors regexes and treats a missing label as empty', () => {
    const m = parseMatcher('env=~"prod"');
    expect(m.matches('prod')).toBe(true);
    expect(m.matches('preprod')).toBe(false);
    expect(parseMatcher('x=""').matches(undefined)).toBe(true);
    expect(parseMatcher('x!~".+"').matches(undefined)).toBe(true);
  });
  it('rejects malformed input', () => {
    for (const bad of ['a', '{a="b"', 'a=~"("', '="x"', 'a=="b"x']) expect(() => parseMatchers(bad), bad).toThrow(/VIGIL|matcher|regular/);
  });
});
