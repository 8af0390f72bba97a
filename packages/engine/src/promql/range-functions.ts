import { PromqlEvalError } from './errors.js';
import { kahanInc, quantileOf } from './eval-types.js';

/**
 * Arguments of a range-vector function for one series and one step: samples `[a, b)` of
 * `t`/`v`, the window bounds (for extrapolation) and the step's scalar arguments.
 */
export interface RangeFnInput {
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly a: number;
  readonly b: number;
  readonly lo: number;
  readonly hi: number;
  readonly evalT: number;
  readonly params: readonly number[];
}

/** A range-vector function; returns undefined for "no output for this series at this step". */
export type RangeFn = (x: RangeFnInput) => number | undefined;

function extrapolatedRate(x: RangeFnInput, isCounter: boolean, isRate: boolean): number | undefined {
  const { t, v, a, b } = x;
  const n = b - a;
  if (n < 2) return undefined;
  const first = v[a]!;
  const last = v[b - 1]!;
  let result = last - first;
  if (isCounter) {
    let prev = first;
    for (let i = a + 1; i < b; i++) {
      const cur = v[i]!;
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  const rangeSec = (x.hi - x.lo) / 1000;
  let durationToStart = (t[a]! - x.lo) / 1000;
  let durationToEnd = (x.hi - t[b - 1]!) / 1000;
  const sampledInterval = (t[b - 1]! - t[a]!) / 1000;
  const avg = sampledInterval / (n - 1);
  const threshold = avg * 1.1;
  if (durationToStart >= threshold) durationToStart = avg / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = avg / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeSec;
  return result * factor;
}

function instantValue(x: RangeFnInput, isRate: boolean): number | undefined {
  const { t, v, a, b } = x;
  if (b - a < 2) return undefined;
  const last = v[b - 1]!;
  const prev = v[b - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  if (!isRate) return result;
  const dt = t[b - 1]! - t[b - 2]!;
  if (dt === 0) return undefined;
  result /= dt / 1000;
  return result;
}

function linearRegression(x: RangeFnInput, interceptTime: number): [number, number] {
  const { t, v, a, b } = x;
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = v[a]!;
  let constY = true;
  for (let i = a; i < b; i++) {
    const y = v[i]!;
    if (constY && i > a && y !== initY) constY = false;
    n++;
    const xx = (t[i]! - interceptTime) / 1000;
    [sumX, cX] = kahanInc(xx, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(xx * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(xx * xx, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

function values(x: RangeFnInput): number[] {
  const out: number[] = [];
  for (let i = x.a; i < x.b; i++) out.push(x.v[i]!);
  return out;
}

function sumOf(x: RangeFnInput): number {
  let s = 0;
  let c = 0;
  for (let i = x.a; i < x.b; i++) [s, c] = kahanInc(x.v[i]!, s, c);
  return s + c;
}

function avgOf(x: RangeFnInput): number {
  const n = x.b - x.a;
  let s = 0;
  let c = 0;
  for (let i = x.a; i < x.b; i++) {
    const [ns, nc] = kahanInc(x.v[i]!, s, c);
    if (!Number.isFinite(ns) && !Number.isNaN(ns)) return incrementalMean(x);
    s = ns;
    c = nc;
  }
  return (s + c) / n;
}

function incrementalMean(x: RangeFnInput): number {
  let mean = 0;
  let c = 0;
  let count = 0;
  for (let i = x.a; i < x.b; i++) {
    const f = x.v[i]!;
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(f) && !Number.isNaN(f) && mean > 0 === f > 0) continue;
      if (Number.isFinite(f)) continue;
    }
    const cur = mean + c;
    [mean, c] = kahanInc(f / count - cur / count, mean, c);
  }
  return mean + c;
}

function variance(x: RangeFnInput): number {
  let count = 0;
  let mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = x.a; i < x.b; i++) {
    const f = x.v[i]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function smoothing(x: RangeFnInput): number | undefined {
  const [sf, tf] = x.params as [number, number];
  if (!(sf > 0 && sf < 1)) throw new PromqlEvalError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
  if (!(tf > 0 && tf < 1)) throw new PromqlEvalError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
  const { v, a, b } = x;
  if (b - a < 2) return undefined;
  let s0 = 0;
  let s1 = v[a]!;
  let trend = v[a + 1]! - v[a]!;
  for (let i = 1; i < b - a; i++) {
    const xx = sf * v[a + i]!;
    if (i - 1 !== 0) trend = tf * (s1 - s0) + (1 - tf) * trend;
    const y = (1 - sf) * (s1 + trend);
    s0 = s1;
    s1 = xx + y;
  }
  return s1;
}

function extremeIndex(x: RangeFnInput, better: (c: number, best: number) => boolean): number {
  let bi = x.a;
  for (let i = x.a + 1; i < x.b; i++) {
    const best = x.v[bi]!;
    const cur = x.v[i]!;
    if (better(cur, best) || (Number.isNaN(best) && !Number.isNaN(cur))) bi = i;
  }
  return bi;
}

const nonEmpty =
  (f: RangeFn): RangeFn =>
  (x) =>
    x.b > x.a ? f(x) : undefined;

/** Range-vector functions by name. `absent_over_time` is handled by the evaluator. */
export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFn>> = {
  rate: (x) => extrapolatedRate(x, true, true),
  increase: (x) => extrapolatedRate(x, true, false),
  delta: (x) => extrapolatedRate(x, false, false),
  irate: (x) => instantValue(x, true),
  idelta: (x) => instantValue(x, false),
  deriv: (x) => (x.b - x.a < 2 ? undefined : linearRegression(x, x.t[x.a]!)[0]),
  predict_linear: (x) => {
    if (x.b - x.a < 2) return undefined;
    const [slope, intercept] = linearRegression(x, x.evalT);
    return slope * x.params[0]! + intercept;
  },
  double_exponential_smoothing: smoothing,
  avg_over_time: nonEmpty(avgOf),
  sum_over_time: nonEmpty(sumOf),
  count_over_time: nonEmpty((x) => x.b - x.a),
  min_over_time: nonEmpty((x) => x.v[extremeIndex(x, (c, best) => c < best)]!),
  max_over_time: nonEmpty((x) => x.v[extremeIndex(x, (c, best) => c > best)]!),
  ts_of_min_over_time: nonEmpty((x) => x.t[extremeIndex(x, (c, best) => c <= best)]! / 1000),
  ts_of_max_over_time: nonEmpty((x) => x.t[extremeIndex(x, (c, best) => c >= best)]! / 1000),
  last_over_time: nonEmpty((x) => x.v[x.b - 1]!),
  first_over_time: nonEmpty((x) => x.v[x.a]!),
  ts_of_last_over_time: nonEmpty((x) => x.t[x.b - 1]! / 1000),
  ts_of_first_over_time: nonEmpty((x) => x.t[x.a]! / 1000),
  present_over_time: nonEmpty(() => 1),
  quantile_over_time: nonEmpty((x) => quantileOf(x.params[0]!, values(x))),
  stddev_over_time: nonEmpty((x) => Math.sqrt(variance(x))),
  stdvar_over_time: nonEmpty(variance),
  mad_over_time: nonEmpty((x) => {
    const vals = values(x);
    const median = quantileOf(0.5, vals);
    return quantileOf(
      0.5,
      vals.map((y) => Math.abs(y - median)),
    );
  }),
  changes: nonEmpty((x) => {
    let n = 0;
    for (let i = x.a + 1; i < x.b; i++) {
      const cur = x.v[i]!;
      const prev = x.v[i - 1]!;
      if (!(cur === prev || (Number.isNaN(cur) && Number.isNaN(prev)))) n++;
    }
    return n;
  }),
  resets: nonEmpty((x) => {
    let n = 0;
    for (let i = x.a + 1; i < x.b; i++) if (x.v[i]! < x.v[i - 1]!) n++;
    return n;
  }),
};
