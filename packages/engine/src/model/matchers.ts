import type { Labels } from './labels.js';

/** The four label-matcher operators of PromQL and Alertmanager. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** One label matcher, e.g. `job=~"api|web"`. */
export interface LabelMatcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

const regexCache = new Map<string, RegExp>();

/**
 * Compiles a matcher regex with Prometheus 3 semantics: fully anchored, and `.` matches newlines.
 * Compiled regexes are cached by source; the cache is bounded so hostile input cannot grow it forever.
 */
export function compileMatcherRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, 'su');
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

/** True when `value` (empty string for an absent label) satisfies the matcher. */
export function matchValue(m: LabelMatcher, value: string): boolean {
  switch (m.type) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return compileMatcherRegex(m.value).test(value);
    case '!~':
      return !compileMatcherRegex(m.value).test(value);
  }
}

/** True when the label set satisfies every matcher. */
export function matchLabels(matchers: readonly LabelMatcher[], labels: Labels): boolean {
  for (const m of matchers) if (!matchValue(m, labels[m.name] ?? '')) return false;
  return true;
}
