import { MatcherError } from '../errors.js';

/** Matcher operator, as Alertmanager spells it. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher: a plain object, compiled regex kept alongside for speed. */
export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  /** Whether `labels` (a missing label counts as "") satisfies the matcher. */
  matches(value: string | undefined): boolean;
}

/**
 * Creates a matcher; regex matchers are anchored (`^(?:re)$`) like Alertmanager's, and `.` matches
 * newlines. Throws MatcherError when the regex does not compile.
 */
export function createMatcher(name: string, type: MatchType, value: string): Matcher {
  let test: (v: string) => boolean;
  if (type === '=' || type === '!=') {
    test = (v) => v === value;
  } else {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${value})$`, 's');
    } catch (err) {
      throw new MatcherError(`invalid regular expression ${JSON.stringify(value)} for label ${name}: ${(err as Error).message}`, { cause: err });
    }
    test = (v) => re.test(v);
  }
  const negate = type === '!=' || type === '!~';
  return {
    name,
    type,
    value,
    matches: (v) => test(v ?? '') !== negate,
  };
}

/** True when every matcher accepts the label set (Alertmanager's `Matchers.Matches`). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) if (!m.matches(labels[m.name])) return false;
  return true;
}

const plainName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders a matcher as Alertmanager prints it: `name="value"` (name quoted when not a plain label name). */
export function matcherToString(m: Pick<Matcher, 'name' | 'type' | 'value'>): string {
  const name = plainName.test(m.name) ? m.name : JSON.stringify(m.name);
  return `${name}${m.type}${JSON.stringify(m.value)}`;
}

/** Renders a list of matchers as `{a="b", c=~"d"}`. */
export function matchersToString(ms: readonly Pick<Matcher, 'name' | 'type' | 'value'>[]): string {
  return `{${ms.map(matcherToString).join(', ')}}`;
}
