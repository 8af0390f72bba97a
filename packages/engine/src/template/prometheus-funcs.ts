/**
 * Prometheus's template functions for rule annotations/labels (and console templates): humanize,
 * humanize1024, humanizePercentage, humanizeDuration, humanizeTimestamp, toTime, title, toUpper,
 * toLower, reReplaceAll, match, safeHtml, graphLink, tableLink, args, externalURL, pathPrefix, and
 * the query-result helpers first/label/value/strvalue/sortByLabel plus `query` when a query function is given.
 */
import type { TemplateFunc } from './builtins.js';
import { TemplateArgTypeError } from './exec.js';
import { goTimeString, goTypeName, sprintf } from './go-format.js';

export { goTimeString };
import { compileGoRegexp, goReplaceAll } from './go-regexp.js';
import { queryEscape } from './builtins.js';

/** One element of a `query` result as Prometheus templates see it: `.Labels` and `.Value`. */
export interface TemplateSample {
  Labels: Record<string, string>;
  Value: number;
}

/** Options of the Prometheus function map. */
export interface PrometheusFuncsOptions {
  /** `--web.external-url`; used by externalURL, pathPrefix, graphLink, tableLink. */
  externalURL?: string;
  /** Runs an instant PromQL query at the evaluation time; without it `query` is not defined. */
  query?: (expr: string) => TemplateSample[];
}

function str(v: unknown): string {
  if (typeof v !== 'string')
    throw new TemplateArgTypeError(`wrong type for value; expected string; got ${goTypeName(v)}`);
  return v;
}

/** Prometheus's convertToFloat: numbers, ints and numeric strings. */
export function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    const f = /^[+-]?(inf|infinity)$/i.test(t)
      ? t.startsWith('-')
        ? -Infinity
        : Infinity
      : /^[+-]?nan$/i.test(t)
        ? NaN
        : t === ''
          ? NaN
          : Number(t);
    if (Number.isNaN(f) && !/nan/i.test(t))
      throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return f;
  }
  throw new Error(`can't convert ${goTypeName(v)} to float`);
}

/** humanize: SI prefixes, 4 significant digits (`1.234k`, `12.5m`). */
export function humanize(i: unknown): string {
  let v = toFloat(i);
  if (v === 0 || !Number.isFinite(v)) return sprintf('%.4g', [v]);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return sprintf('%.4g%s', [v, prefix]);
  }
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return sprintf('%.4g%s', [v, prefix]);
}

/** humanize1024: binary prefixes (`1ki`, `1.5Mi`). */
export function humanize1024(i: unknown): string {
  let v = toFloat(i);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return sprintf('%.4g', [v]);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return sprintf('%.4g%s', [v, prefix]);
}

/** humanizeDuration: seconds as `1d 2h 3m 4s`, `1.5s`, `250ms`. */
export function humanizeDuration(i: unknown): string {
  let v = toFloat(i);
  if (!Number.isFinite(v)) return sprintf('%.4g', [v]);
  if (v === 0) return sprintf('%.4gs', [v]);
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const duration = BigInt(Math.trunc(v));
    const seconds = duration % 60n;
    const minutes = (duration / 60n) % 60n;
    const hours = (duration / 60n / 60n) % 24n;
    const days = duration / 60n / 60n / 24n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return sprintf('%s%.4gs', [sign, v]);
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return sprintf('%.4g%ss', [v, prefix]);
}

/** humanizePercentage: a ratio as a percentage (`0.1234` → `12.34%`). */
export function humanizePercentage(i: unknown): string {
  return sprintf('%.4g%%', [toFloat(i) * 100]);
}

/** A Go time.Time value in a template (prints like Go; `.Unix` method). */
function goTime(ms: number): object {
  return {
    toString: () => goTimeString(ms),
    Unix: () => BigInt(Math.floor(ms / 1000)),
    UnixMilli: () => BigInt(Math.floor(ms)),
  };
}

function msOf(i: unknown): number | null {
  const v = toFloat(i);
  if (!Number.isFinite(v)) return null;
  // model.TimeFromUnixNano(int64(v*1e9)): millisecond precision, truncated
  return Math.trunc(Math.trunc(v * 1e9) / 1e6);
}

/** humanizeTimestamp: Unix seconds as `2006-01-02 15:04:05.999 +0000 UTC`. */
export function humanizeTimestamp(i: unknown): string {
  const ms = msOf(i);
  if (ms === null) return sprintf('%.4g', [toFloat(i)]);
  return goTimeString(ms);
}

/** Go's deprecated strings.Title: upper-cases the first letter of each word. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /[A-Za-z0-9_]/.test(prev)
      ? false
      : /[\x00-\x7f]/.test(prev)
        ? true
        : /[\p{L}\p{N}]/u.test(prev)
          ? false
          : /\s/u.test(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/**
 * Builds Prometheus's template function map (rule annotations and labels). `query` and its helpers
 * are defined only when `options.query` is given.
 */
export function createPrometheusTemplateFuncs(
  options: PrometheusFuncsOptions = {},
): Record<string, TemplateFunc> {
  const externalURL = options.externalURL ?? '';
  const funcs: Record<string, TemplateFunc> = {
    humanize,
    humanize1024,
    humanizeDuration,
    humanizePercentage,
    humanizeTimestamp,
    toTime: (i: unknown) => {
      const ms = msOf(i);
      if (ms === null) throw new Error(`cannot convert ${toFloat(i)} to Time`);
      return goTime(ms);
    },
    title: (s: unknown) => goTitle(str(s)),
    toUpper: (s: unknown) => str(s).toUpperCase(),
    toLower: (s: unknown) => str(s).toLowerCase(),
    reReplaceAll: (pattern: unknown, repl: unknown, text: unknown) =>
      goReplaceAll(compileGoRegexp(str(pattern)), str(text), str(repl)),
    match: (pattern: unknown, text: unknown) => {
      const re = compileGoRegexp(str(pattern));
      return re.test(str(text));
    },
    safeHtml: (s: unknown) => str(s),
    args: (...a: unknown[]) => Object.fromEntries(a.map((x, i) => [`arg${i}`, x])),
    externalURL: () => externalURL,
    pathPrefix: () => {
      try {
        return new URL(externalURL).pathname.replace(/\/$/, '');
      } catch {
        return '';
      }
    },
    graphLink: (expr: unknown) => `${externalURL}/graph?g0.expr=${queryEscape(str(expr))}&g0.tab=0`,
    tableLink: (expr: unknown) => `${externalURL}/graph?g0.expr=${queryEscape(str(expr))}&g0.tab=1`,
    first: (v: unknown) => {
      if (Array.isArray(v) && v.length > 0) return v[0];
      throw new Error('first() called on vector with no elements');
    },
    label: (name: unknown, s: unknown) => (s as TemplateSample).Labels?.[str(name)] ?? '',
    value: (s: unknown) => (s as TemplateSample).Value,
    strvalue: (s: unknown) => (s as TemplateSample).Labels?.['__value__'] ?? '',
    sortByLabel: (name: unknown, v: unknown) => {
      const n = str(name);
      return [...(v as TemplateSample[])].sort((a, b) => {
        const x = a.Labels[n] ?? '';
        const y = b.Labels[n] ?? '';
        return x < y ? -1 : x > y ? 1 : 0;
      });
    },
  };
  if (options.query) {
    const q = options.query;
    funcs['query'] = (expr: unknown) => q(str(expr));
  }
  return funcs;
}
