import { MatcherError } from '../errors.js';
import { createMatcher, type Matcher, type MatchType } from './matcher.js';

/**
 * Parses one matcher in Alertmanager's syntax: `name=value`, `name="quoted value"`, `name=~"re"`,
 * `name!="x"`, `name!~"x"`, and the UTF-8 form with a quoted label name (`"service name"="api"`).
 * Throws MatcherError naming the input when it is malformed.
 */
export function parseMatcher(input: string): Matcher {
  const list = parseMatchers(input);
  if (list.length !== 1) throw new MatcherError(`expected exactly one matcher in ${JSON.stringify(input)}`);
  return list[0]!;
}

/**
 * Parses a matcher list: either `{a="b", c=~"d"}` or a bare comma-separated list `a=b,c!=d`.
 * An empty list (`{}`) yields no matchers.
 */
export function parseMatchers(input: string): Matcher[] {
  const p = new Parser(input);
  return p.parseList();
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(msg: string): never {
    throw new MatcherError(`bad matcher ${JSON.stringify(this.s)} at position ${this.i}: ${msg}`);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  parseList(): Matcher[] {
    this.ws();
    let braced = false;
    if (this.s[this.i] === '{') {
      braced = true;
      this.i++;
    }
    const out: Matcher[] = [];
    this.ws();
    while (this.i < this.s.length) {
      if (braced && this.s[this.i] === '}') break;
      out.push(this.parseOne());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        this.ws();
        continue;
      }
      break;
    }
    this.ws();
    if (braced) {
      if (this.s[this.i] !== '}') this.fail('missing closing "}"');
      this.i++;
      this.ws();
    }
    if (this.i < this.s.length) this.fail(`unexpected ${JSON.stringify(this.s.slice(this.i))}`);
    return out;
  }

  private parseOne(): Matcher {
    const name = this.s[this.i] === '"' ? this.quoted() : this.bare(/[a-zA-Z0-9_:.\-/]/);
    if (name === '') this.fail('missing label name');
    this.ws();
    const op = this.op();
    this.ws();
    let value: string;
    if (this.s[this.i] === '"') value = this.quoted();
    else value = this.bareValue();
    return createMatcher(name, op, value);
  }

  private op(): MatchType {
    const two = this.s.slice(this.i, this.i + 2);
    if (two === '=~' || two === '!=' || two === '!~') {
      this.i += 2;
      return two;
    }
    if (this.s[this.i] === '=') {
      this.i++;
      return '=';
    }
    return this.fail('expected one of =, !=, =~, !~');
  }

  private bare(ok: RegExp): string {
    const start = this.i;
    while (this.i < this.s.length && ok.test(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }

  /** An unquoted value runs to the next top-level comma or closing brace. */
  private bareValue(): string {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i] !== ',' && this.s[this.i] !== '}') this.i++;
    const v = this.s.slice(start, this.i).trim();
    if (v.includes('"')) this.fail('unquoted value contains a quote');
    return v;
  }

  private quoted(): string {
    const start = this.i;
    this.i++;
    let escaped = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      this.i++;
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        const raw = this.s.slice(start, this.i);
        try {
          return JSON.parse(raw) as string;
        } catch {
          return this.fail(`invalid escape in ${raw}`);
        }
      }
    }
    return this.fail('unterminated quoted string');
  }
}
