import { labelsKey, type Labels } from '../model/labels.js';
import { PromqlEvalError } from './errors.js';

/** One element of an instant vector during evaluation; `t` is the sample's own timestamp for selectors. */
export interface Sample {
  readonly labels: Labels;
  readonly v: number;
  readonly t?: number;
}

/** Result of evaluating an expression at every step of the query. */
export type StepValue =
  | { readonly kind: 'scalar'; readonly v: Float64Array }
  | { readonly kind: 'vector'; readonly steps: Sample[][] }
  | { readonly kind: 'string'; readonly s: string };

/** One series of a range vector, with every sample needed for all steps' windows. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
}

/** A range vector over all steps: step i sees the samples with `lo[i] < t <= hi[i]`. */
export interface RangeValue {
  readonly series: RangeSeries[];
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly rangeMs: number;
}

const keyCache = new WeakMap<Labels, string>();

/** labelsKey, memoised per label-set object (label sets are shared across steps). */
export function keyOf(labels: Labels): string {
  let k = keyCache.get(labels);
  if (k === undefined) {
    k = labelsKey(labels);
    keyCache.set(labels, k);
  }
  return k;
}

const dropCache = new WeakMap<Labels, Labels>();

/** The label set without `__name__`, memoised so equal inputs share one object. */
export function dropName(labels: Labels): Labels {
  if (labels.__name__ === undefined) return labels;
  let d = dropCache.get(labels);
  if (!d) {
    const { __name__: _n, ...rest } = labels;
    d = rest;
    dropCache.set(labels, d);
  }
  return d;
}

/** Throws Prometheus's error when two samples of one step share a label set. */
export function checkDuplicates(vec: readonly Sample[]): void {
  if (vec.length < 2) return;
  const seen = new Set<string>();
  for (const s of vec) {
    const k = keyOf(s.labels);
    if (seen.has(k)) throw new PromqlEvalError('vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
}

/** Kahan-Babuška compensated addition step, as Prometheus's kahanSumInc. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Quantile with linear interpolation between the closest ranks (Prometheus's `quantile`). */
export function quantileOf(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = values.slice().sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Formats a float as Go's strconv.FormatFloat(f, 'f', -1, 64). */
export function formatFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, d0, frac = '', expS] = m;
  const exp = Number(expS);
  const digits = d0! + frac;
  if (exp >= 0) {
    const intLen = 1 + exp;
    if (digits.length <= intLen) return sign + digits + '0'.repeat(intLen - digits.length);
    return sign + digits.slice(0, intLen) + '.' + digits.slice(intLen);
  }
  return sign + '0.' + '0'.repeat(-exp - 1) + digits;
}

/** Parses a float the way Go's strconv.ParseFloat accepts it (Inf, NaN, exponents); NaN when invalid. */
export function parseGoFloat(s: string): number {
  const t = s.trim();
  if (t !== s || t === '') return NaN;
  const l = t.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (l === 'nan') return NaN;
  if (!/^[+-]?(\d[\d_]*\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
  return Number(t.replace(/_/g, ''));
}

/** First index in sorted `t` with `t[i] > x`. */
export function upperBound(t: ArrayLike<number>, x: number, from = 0): number {
  let lo = from;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
