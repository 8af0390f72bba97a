import type { Labels } from '../model/labels.js';
import { PromqlEvalError } from './errors.js';
import { dropName, keyOf, parseGoFloat, type Sample } from './eval-types.js';

/** Element-wise float functions of one value (the metric name is dropped from the result). */
export const MATH_FUNCTIONS: Readonly<Record<string, (v: number) => number>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
};

function utc(v: number): Date | null {
  if (!Number.isFinite(v)) return null;
  return new Date(Math.trunc(v) * 1000);
}

/** Calendar functions over Unix seconds, in UTC. */
export const DATE_FUNCTIONS: Readonly<Record<string, (d: Date) => number>> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_month: (d) => d.getUTCDate(),
  day_of_year: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

/** Applies a calendar function to a value in Unix seconds (NaN for non-finite input). */
export function dateValue(name: string, v: number): number {
  const d = utc(v);
  return d ? DATE_FUNCTIONS[name]!(d) : NaN;
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Compiles a Go RE2-style regex for label_replace (anchored, `.` matches newline, `(?P<n>` groups). */
function compileGoRegex(src: string): RegExp {
  try {
    return new RegExp(`^(?:${src.replace(/\(\?P</g, '(?<')})$`, 'su');
  } catch (err) {
    throw new PromqlEvalError(`invalid regular expression in label_replace(): ${src}`, { cause: err });
  }
}

/** Expands `$1`, `${1}`, `$name` and `$$` in `template` the way Go's Regexp.Expand does. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '$' || i === template.length - 1) {
      out += ch;
      continue;
    }
    const next = template[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      name = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(name)) {
        out += ch;
        continue;
      }
      i = close;
    } else {
      const mm = /^\w+/.exec(template.slice(i + 1));
      if (!mm) {
        out += ch;
        continue;
      }
      name = mm[0];
      i += name.length;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

/** label_replace for one step's vector. */
export function labelReplace(vec: Sample[], dst: string, repl: string, src: string, regex: string): Sample[] {
  const re = compileGoRegex(regex);
  if (!LABEL_NAME_RE.test(dst)) throw new PromqlEvalError(`invalid destination label name in label_replace(): ${dst}`);
  const cache = new Map<Labels, Labels>();
  return vec.map((s) => {
    let out = cache.get(s.labels);
    if (!out) {
      out = s.labels;
      const m = re.exec(s.labels[src] ?? '');
      if (m) {
        const value = expand(repl, m);
        const next: Record<string, string> = { ...s.labels };
        if (value === '') delete next[dst];
        else next[dst] = value;
        out = next;
      }
      cache.set(s.labels, out);
    }
    return { labels: out, v: s.v };
  });
}

/** label_join for one step's vector. */
export function labelJoin(vec: Sample[], dst: string, sep: string, srcs: string[]): Sample[] {
  if (!LABEL_NAME_RE.test(dst)) throw new PromqlEvalError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!LABEL_NAME_RE.test(s)) throw new PromqlEvalError(`invalid source label name in label_join(): ${s}`);
  return vec.map((s) => {
    const value = srcs.map((n) => s.labels[n] ?? '').join(sep);
    const next: Record<string, string> = { ...s.labels };
    if (value === '') delete next[dst];
    else next[dst] = value;
    return { labels: next, v: s.v };
  });
}

interface Bucket {
  upper: number;
  count: number;
}

function almostEqual(a: number, b: number, eps: number): boolean {
  if (a === b) return true;
  const minNormal = 2.2250738585072014e-308;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < eps * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < eps;
}

/** Quantile over classic buckets with Prometheus's monotonicity fix. */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = input.slice().sort((x, y) => x.upper - y.upper);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.upper !== Infinity) return NaN;
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else buckets.push({ upper: b.upper, count: b.count });
  }
  let prev = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const cur = buckets[i]!.count;
    if (cur === prev) continue;
    if (almostEqual(prev, cur, 1e-12) || cur < prev) {
      buckets[i]!.count = prev;
      continue;
    }
    prev = cur;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b]!.count >= rank)) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upper;
  if (b === 0 && buckets[0]!.upper <= 0) return buckets[0]!.upper;
  let start = 0;
  const end = buckets[b]!.upper;
  let count = buckets[b]!.count;
  if (b > 0) {
    start = buckets[b - 1]!.upper;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

const noLe = new WeakMap<Labels, Labels>();

/** histogram_quantile over one step's vector of classic `le` buckets. */
export function histogramQuantile(q: number, vec: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of vec) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const upper = parseGoFloat(le);
    if (Number.isNaN(upper)) continue;
    let base = noLe.get(s.labels);
    if (!base) {
      const { le: _le, ...rest } = dropName(s.labels);
      base = rest;
      noLe.set(s.labels, base);
    }
    const k = keyOf(base);
    let g = groups.get(k);
    if (!g) {
      g = { labels: base, buckets: [] };
      groups.set(k, g);
    }
    g.buckets.push({ upper, count: s.v });
  }
  const out: Sample[] = [];
  for (const g of groups.values()) out.push({ labels: g.labels, v: bucketQuantile(q, g.buckets) });
  return out;
}

function natCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** sort_by_label(_desc): stable sort by the given labels' values (natural order), then by label set. */
export function sortByLabel(vec: Sample[], names: string[], desc: boolean): Sample[] {
  const out = vec.slice().sort((x, y) => {
    for (const n of names) {
      const a = x.labels[n] ?? '';
      const b = y.labels[n] ?? '';
      if (a === b) continue;
      return natCompare(a, b);
    }
    const ka = keyOf(x.labels);
    const kb = keyOf(y.labels);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return desc ? out.reverse() : out;
}
