import type { Labels } from '../model/labels.js';
import type { LabelMatcher } from '../model/matchers.js';
import type { Queryable, SeriesSamples } from '../model/queryable.js';
import type { MatrixSeries, Point } from '../model/values.js';
import { isStaleNaN } from '../model/samples.js';
import { aggregateStep, createGrouper } from './aggregate.js';
import type { CallExpr, MatrixSelector, PromqlAt, PromqlExpr, SubqueryExpr, VectorSelector } from './ast.js';
import { scalarBinop, setBinop, vectorBinop, vectorScalarBinop } from './binary.js';
import { PromqlEvalError } from './errors.js';
import {
  checkDuplicates,
  dropName,
  keyOf,
  upperBound,
  type RangeSeries,
  type RangeValue,
  type Sample,
  type StepValue,
} from './eval-types.js';
import { createFusedAggregation, isFusableAggregation, type SeriesStepsSink } from './fused-aggregate.js';
import { RANGE_FUNCTIONS, type RangeFn } from './range-functions.js';
import {
  DATE_FUNCTIONS,
  MATH_FUNCTIONS,
  dateValue,
  histogramQuantile,
  labelJoin,
  labelReplace,
  sortByLabel,
} from './vector-functions.js';

/** Limits and settings of one query evaluation. */
export interface EvalOptions {
  readonly lookbackDeltaMs: number;
  readonly maxSamples: number;
  /** When the query times out, on the `now` clock. */
  readonly deadline: number;
  /** The clock `deadline` is measured on (the engine's `now` option). */
  readonly now: () => number;
  readonly defaultSubqueryStepMs: number;
}

/** A range-vector function call with its arguments evaluated. */
interface RangeCall {
  readonly fn: RangeFn;
  readonly scalarArgs: readonly Float64Array[];
  readonly keepName: boolean;
  /** Each step's window `(lo, hi]`. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** The matrix selector to stream from the store, or else the evaluated series (subqueries). */
  readonly matrix: MatrixSelector | undefined;
  readonly series: readonly RangeSeries[] | undefined;
}

const EMPTY = new Float64Array(0);

/** Thrown inside streamRangeCall to abandon a fused aggregation whose input series collide. */
const COLLISION = new Error('colliding output label sets');

/**
 * Evaluates PromQL over a list of step timestamps (one for an instant query). Internal: the public
 * surface is `createPromqlEngine`.
 */
export class Evaluator {
  private samples = 0;
  private checks = 0;

  constructor(
    private readonly q: Queryable,
    private readonly opts: EvalOptions,
    private readonly start: number,
    private readonly end: number,
  ) {}

  private tick(n = 1): void {
    this.checks += n;
    if (this.checks > 4096) {
      this.checks = 0;
      if (this.opts.now() > this.opts.deadline) throw new PromqlEvalError('query timed out in expression evaluation');
    }
  }

  private count(n: number): void {
    this.samples += n;
    if (this.samples > this.opts.maxSamples)
      throw new PromqlEvalError('query processing would load too many samples into memory in query execution');
  }

  private atTime(at: PromqlAt, t: number): number {
    if (at === null) return t;
    if (at === 'start') return this.start;
    if (at === 'end') return this.end;
    return at;
  }

  /**
   * A range query's result series straight from a streaming expression (a vector selector or a
   * range-vector function), one series at a time without per-step vectors; undefined when `e` is
   * of another kind (or its series collide), and the caller evaluates it step-wise.
   */
  rangeSeries(e: PromqlExpr, ts: readonly number[]): MatrixSeries[] | undefined {
    const u = unwrap(e);
    const out: MatrixSeries[] = [];
    const collect = (labels: Labels, v: Float64Array, has: Uint8Array): void => {
      const points: Point[] = [];
      for (let i = 0; i < ts.length; i++) if (has[i] === 1) points.push({ t: ts[i]!, v: v[i]! });
      out.push({ labels, points });
    };
    if (u.kind === 'vectorSelector') {
      this.streamSelector(u, ts, collect);
      return out;
    }
    if (u.kind !== 'call' || !RANGE_FUNCTIONS[u.func]) return undefined;
    const loaded = this.samples;
    try {
      this.streamRangeCall(this.prepareRangeCall(u, ts), ts, collect, true);
      return out;
    } catch (err) {
      if (err !== COLLISION) throw err;
      this.samples = loaded;
      return undefined;
    }
  }

  /** Evaluates `e` at every timestamp of `ts`. */
  eval(e: PromqlExpr, ts: readonly number[]): StepValue {
    this.tick();
    switch (e.kind) {
      case 'number':
        return { kind: 'scalar', v: new Float64Array(ts.length).fill(e.value) };
      case 'string':
        return { kind: 'string', s: e.value };
      case 'paren':
        return this.eval(e.expr, ts);
      case 'vectorSelector':
        return { kind: 'vector', steps: this.vectorSelector(e, ts) };
      case 'unary': {
        const inner = this.eval(e.expr, ts);
        if (e.op === '+') return inner;
        if (inner.kind === 'scalar') return { kind: 'scalar', v: inner.v.map((x) => -x) };
        if (inner.kind !== 'vector') throw new PromqlEvalError('unary minus on a non-numeric value');
        const steps = inner.steps.map((vec) => {
          const out = vec.map((s) => ({ labels: dropName(s.labels), v: -s.v }));
          checkDuplicates(out);
          return out;
        });
        return { kind: 'vector', steps };
      }
      case 'binary':
        return this.binary(e, ts);
      case 'aggregate':
        return this.aggregate(e, ts);
      case 'call':
        return this.call(e, ts);
      case 'matrixSelector':
      case 'subquery':
        throw new PromqlEvalError('range vector cannot be evaluated as an instant value');
    }
  }

  private vectorSelector(e: VectorSelector, ts: readonly number[]): Sample[][] {
    const steps: Sample[][] = ts.map(() => []);
    this.streamSelector(e, ts, (labels, v, has, sampleT) => {
      for (let i = 0; i < ts.length; i++) if (has[i] === 1) steps[i]!.push({ labels, v: v[i]!, t: sampleT[i]! });
    });
    return steps;
  }

  /**
   * Evaluates a vector selector one series at a time: calls `sink` per selected series with its
   * value (and sample timestamp) at every step. The arrays passed are reused between calls.
   */
  private streamSelector(
    e: VectorSelector,
    ts: readonly number[],
    sink: (labels: Labels, v: Float64Array, has: Uint8Array, sampleT: Float64Array) => void,
  ): void {
    const n = ts.length;
    if (n === 0) return;
    const evalTs = new Float64Array(n);
    let min = Infinity;
    let max = -Infinity;
    let forward = true;
    for (let i = 0; i < n; i++) {
      const t = this.atTime(e.at, ts[i]!) - e.offsetMs;
      evalTs[i] = t;
      if (t < min) min = t;
      if (t > max) max = t;
      if (i > 0 && t < evalTs[i - 1]!) forward = false;
    }
    const lb = this.opts.lookbackDeltaMs;
    const vals = new Float64Array(n);
    const has = new Uint8Array(n);
    const sampleT = new Float64Array(n);
    this.selectSeries(e.matchers, min - lb + 1, max, true, (s) => {
      this.tick(n);
      const st = s.timestamps;
      const sv = s.values;
      const len = st.length;
      let found = 0;
      // Steps usually move forward: slide the newest-sample index instead of searching each step.
      let idx = -1;
      for (let i = 0; i < n; i++) {
        const t = evalTs[i]!;
        if (forward) while (idx + 1 < len && st[idx + 1]! <= t) idx++;
        else idx = upperBound(st, t) - 1;
        has[i] = 0;
        if (idx < 0) continue;
        const at = st[idx]!;
        if (at <= t - lb) continue;
        const v = sv[idx]!;
        if (v !== v && isStaleNaN(v)) continue;
        vals[i] = v;
        sampleT[i] = at;
        has[i] = 1;
        found++;
      }
      this.count(found);
      if (found > 0) sink(s.labels, vals, has, sampleT);
    });
  }

  /** Each step's window `(lo, hi]` of a matrix selector. */
  private matrixWindows(e: MatrixSelector, ts: readonly number[]): { lo: Float64Array; hi: Float64Array } {
    const vs = e.vector;
    const hi = Float64Array.from(ts, (t) => this.atTime(vs.at, t) - vs.offsetMs);
    const lo = hi.map((h) => h - e.rangeMs);
    return { lo, hi };
  }

  /**
   * Calls `fn` with each series a matrix selector selects over all windows, staleness markers
   * removed. With `stream`, the series come from the store's `selectEach` when it has one and
   * their arrays are only valid during the call; otherwise they are the caller's to keep.
   */
  private eachMatrixSeries(
    e: MatrixSelector,
    lo: Float64Array,
    hi: Float64Array,
    stream: boolean,
    fn: (s: RangeSeries) => void,
  ): void {
    let mint = Infinity;
    let maxt = -Infinity;
    for (let i = 0; i < lo.length; i++) {
      if (lo[i]! < mint) mint = lo[i]!;
      if (hi[i]! > maxt) maxt = hi[i]!;
    }
    let bufT = EMPTY;
    let bufV = EMPTY;
    const visit = (s: SeriesSamples): void => {
      const sv = s.values;
      const len = sv.length;
      let stale = 0;
      for (let i = 0; i < len; i++) {
        const x = sv[i]!;
        if (x !== x && isStaleNaN(x)) stale++;
      }
      const m = len - stale;
      this.count(m);
      if (m === 0) return;
      // Typed arrays throughout keep the range functions' element access monomorphic.
      if (stale === 0 && s.timestamps instanceof Float64Array && sv instanceof Float64Array) {
        fn({ labels: s.labels, t: s.timestamps, v: sv });
        return;
      }
      let t: Float64Array;
      let v: Float64Array;
      if (stream) {
        if (bufT.length < m) {
          bufT = new Float64Array(m * 2);
          bufV = new Float64Array(m * 2);
        }
        t = bufT.subarray(0, m);
        v = bufV.subarray(0, m);
      } else {
        t = new Float64Array(m);
        v = new Float64Array(m);
      }
      let o = 0;
      for (let i = 0; i < len; i++) {
        const x = sv[i]!;
        if (x !== x && isStaleNaN(x)) continue;
        t[o] = s.timestamps[i]!;
        v[o++] = x;
      }
      fn({ labels: s.labels, t, v });
    };
    this.selectSeries(e.vector.matchers, mint + 1, maxt, stream, visit);
  }

  /** The store's series for `matchers` in `[mint, maxt]`, one at a time (streamed when `stream` and supported). */
  private selectSeries(
    matchers: readonly LabelMatcher[],
    mint: number,
    maxt: number,
    stream: boolean,
    fn: (s: SeriesSamples) => void,
  ): void {
    if (stream && this.q.selectEach) this.q.selectEach(matchers, mint, maxt, fn);
    else for (const s of this.q.select(matchers, mint, maxt)) fn(s);
  }

  /** Evaluates a range-vector expression (matrix selector or subquery) for every step's window. */
  evalRange(e: PromqlExpr, ts: readonly number[]): RangeValue {
    if (e.kind === 'paren') return this.evalRange(e.expr, ts);
    if (e.kind === 'matrixSelector') {
      const { lo, hi } = this.matrixWindows(e, ts);
      const series: RangeSeries[] = [];
      this.eachMatrixSeries(e, lo, hi, false, (s) => series.push(s));
      return { series, lo, hi, rangeMs: e.rangeMs };
    }
    if (e.kind === 'subquery') return this.subquery(e, ts);
    throw new PromqlEvalError(`expected a range vector, got ${e.kind}`);
  }

  private subquery(e: SubqueryExpr, ts: readonly number[]): RangeValue {
    const hi = Float64Array.from(ts, (t) => this.atTime(e.at, t) - e.offsetMs);
    const lo = hi.map((h) => h - e.rangeMs);
    const step = e.stepMs || this.opts.defaultSubqueryStepMs;
    const minLo = Math.min(...lo);
    const maxHi = Math.max(...hi);
    let start = step * Math.trunc(minLo / step);
    if (start <= minLo) start += step;
    const inner: number[] = [];
    for (let t = start; t <= maxHi; t += step) inner.push(t);
    const val = this.eval(e.expr, inner);
    const byKey = new Map<string, { labels: Labels; t: number[]; v: number[] }>();
    if (val.kind === 'vector') {
      val.steps.forEach((vec, i) => {
        for (const s of vec) {
          const k = keyOf(s.labels);
          let ser = byKey.get(k);
          if (!ser) {
            ser = { labels: s.labels, t: [], v: [] };
            byKey.set(k, ser);
          }
          ser.t.push(inner[i]!);
          ser.v.push(s.v);
        }
      });
    }
    const series: RangeSeries[] = [];
    for (const s of byKey.values()) {
      this.count(s.t.length);
      series.push({ labels: s.labels, t: Float64Array.from(s.t), v: Float64Array.from(s.v) });
    }
    return { series, lo, hi, rangeMs: e.rangeMs };
  }

  private scalarSteps(e: PromqlExpr, ts: readonly number[]): Float64Array {
    const v = this.eval(e, ts);
    if (v.kind !== 'scalar') throw new PromqlEvalError('expected a scalar');
    return v.v;
  }

  private stringOf(e: PromqlExpr, ts: readonly number[]): string {
    const v = this.eval(e, ts);
    if (v.kind !== 'string') throw new PromqlEvalError('expected a string');
    return v.s;
  }

  private binary(e: Extract<PromqlExpr, { kind: 'binary' }>, ts: readonly number[]): StepValue {
    const l = this.eval(e.lhs, ts);
    const r = this.eval(e.rhs, ts);
    if (l.kind === 'scalar' && r.kind === 'scalar') {
      return { kind: 'scalar', v: l.v.map((x, i) => scalarBinop(e.op, x, r.v[i]!, e.returnBool)) };
    }
    if (l.kind === 'vector' && r.kind === 'scalar') {
      return {
        kind: 'vector',
        steps: l.steps.map((vec, i) => {
          const out = vectorScalarBinop(e.op, vec, r.v[i]!, false, e.returnBool);
          checkDuplicates(out);
          return out;
        }),
      };
    }
    if (l.kind === 'scalar' && r.kind === 'vector') {
      return {
        kind: 'vector',
        steps: r.steps.map((vec, i) => {
          const out = vectorScalarBinop(e.op, vec, l.v[i]!, true, e.returnBool);
          checkDuplicates(out);
          return out;
        }),
      };
    }
    if (l.kind !== 'vector' || r.kind !== 'vector' || !e.matching) throw new PromqlEvalError('invalid binary operands');
    const m = e.matching;
    const cache = new Map<Labels, string>();
    const steps = l.steps.map((lv, i) => {
      this.tick(lv.length);
      const rv = r.steps[i]!;
      if (m.card === 'many-to-many') return setBinop(e.op, lv, rv, m, cache);
      if (lv.length === 0 || rv.length === 0) return [];
      return vectorBinop(e.op, lv, rv, m, e.returnBool, cache);
    });
    return { kind: 'vector', steps };
  }

  private aggregate(e: Extract<PromqlExpr, { kind: 'aggregate' }>, ts: readonly number[]): StepValue {
    let params: ((i: number) => number | string) | null = null;
    if (e.param) {
      const p = this.eval(e.param, ts);
      if (p.kind === 'string') params = () => p.s;
      else if (p.kind === 'scalar') params = (i) => p.v[i]!;
    }
    let inner: StepValue | undefined;
    if (isFusableAggregation(e)) {
      // Stream selector and range-function inputs series by series into the aggregation: no
      // per-step input vectors are built.
      const u = unwrap(e.expr);
      if (u.kind === 'vectorSelector') {
        const agg = createFusedAggregation(e, ts.length);
        this.streamSelector(u, ts, agg.add);
        return { kind: 'vector', steps: agg.result() };
      }
      if (u.kind === 'call' && RANGE_FUNCTIONS[u.func]) {
        const c = this.prepareRangeCall(u, ts);
        const loaded = this.samples;
        try {
          const agg = createFusedAggregation(e, ts.length);
          this.streamRangeCall(c, ts, agg.add, true);
          return { kind: 'vector', steps: agg.result() };
        } catch (err) {
          if (err !== COLLISION) throw err;
        }
        // Two input series share output labels: redo step-wise, which fails only if they meet at a step.
        this.samples = loaded;
        inner = { kind: 'vector', steps: this.rangeCallSteps(c, ts) };
      }
    }
    inner ??= this.eval(e.expr, ts);
    if (inner.kind !== 'vector') throw new PromqlEvalError('aggregation over a non-vector');
    if (params && ['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(e.op)) {
      ts.forEach((_, i) => {
        if (Number.isNaN(params!(i))) throw new PromqlEvalError(`Parameter value is NaN for ${e.op}`);
      });
    }
    const grouper = createGrouper(e);
    const steps = inner.steps.map((vec, i) => {
      this.tick(vec.length);
      return aggregateStep(e, vec, params?.(i), grouper);
    });
    return { kind: 'vector', steps };
  }

  /** Evaluates the arguments of a range-vector function call (see `RANGE_FUNCTIONS`). */
  private prepareRangeCall(e: CallExpr, ts: readonly number[]): RangeCall {
    const f = e.func;
    const rangeIdx = f === 'quantile_over_time' ? 1 : 0;
    const scalarArgs = e.args.filter((_, i) => i !== rangeIdx).map((a) => this.scalarSteps(a, ts));
    const keepName = f === 'last_over_time' || f === 'first_over_time';
    const arg = unwrap(e.args[rangeIdx]!);
    const fn = RANGE_FUNCTIONS[f]!;
    if (arg.kind === 'matrixSelector') {
      // Streamed from the store series by series when the call is run (see streamRangeCall).
      const { lo, hi } = this.matrixWindows(arg, ts);
      return { fn, scalarArgs, keepName, lo, hi, matrix: arg, series: undefined };
    }
    const rv = this.evalRange(arg, ts);
    return { fn, scalarArgs, keepName, lo: rv.lo, hi: rv.hi, matrix: undefined, series: rv.series };
  }

  /**
   * Runs a prepared range function one series at a time, passing each series' step values to
   * `sink`. Returns whether two series had the same output label set; with `abortOnCollision` it
   * throws `COLLISION` at the first such series instead (the caller then takes the step-wise path).
   */
  private streamRangeCall(c: RangeCall, ts: readonly number[], sink: SeriesStepsSink, abortOnCollision: boolean): boolean {
    const n = ts.length;
    const { fn, scalarArgs, keepName, lo, hi } = c;
    let forward = true;
    for (let i = 1; i < n; i++) if (lo[i]! < lo[i - 1]! || hi[i]! < hi[i - 1]!) forward = false;
    const vals = new Float64Array(n);
    const has = new Uint8Array(n);
    const params: number[] = scalarArgs.map(() => 0);
    const input = { t: EMPTY as ArrayLike<number>, v: EMPTY as ArrayLike<number>, a: 0, b: 0, lo: 0, hi: 0, evalT: 0, params };
    // Output label sets are fixed per series: only when two series collide can a step hold duplicates.
    const seen = new Set<string>();
    let collide = false;
    const visit = (s: RangeSeries): void => {
      this.tick(n);
      const labels = keepName ? s.labels : dropName(s.labels);
      const k = keyOf(labels);
      if (seen.has(k)) {
        if (abortOnCollision) throw COLLISION;
        collide = true;
      }
      seen.add(k);
      const st = s.t;
      const len = st.length;
      input.t = st;
      input.v = s.v;
      let a = 0;
      let b = 0;
      let found = 0;
      for (let i = 0; i < n; i++) {
        const l = lo[i]!;
        const h = hi[i]!;
        // Windows usually move forward step by step: slide both ends instead of searching.
        if (forward) {
          while (a < len && st[a]! <= l) a++;
          if (b < a) b = a;
          while (b < len && st[b]! <= h) b++;
        } else {
          a = upperBound(st, l);
          b = upperBound(st, h, a);
        }
        input.a = a;
        input.b = b;
        input.lo = l;
        input.hi = h;
        input.evalT = ts[i]!;
        for (let p = 0; p < params.length; p++) params[p] = scalarArgs[p]![i]!;
        const v = fn(input);
        if (v === undefined) has[i] = 0;
        else {
          vals[i] = v;
          has[i] = 1;
          found++;
        }
      }
      if (found > 0) sink(labels, vals, has);
    };
    if (c.matrix) this.eachMatrixSeries(c.matrix, lo, hi, true, visit);
    else for (const s of c.series!) visit(s);
    return collide;
  }

  /** The step vectors of a prepared range function call (throws on duplicate output label sets). */
  private rangeCallSteps(c: RangeCall, ts: readonly number[]): Sample[][] {
    const steps: Sample[][] = ts.map(() => []);
    const collide = this.streamRangeCall(
      c,
      ts,
      (labels, v, has) => {
        for (let i = 0; i < ts.length; i++) if (has[i] === 1) steps[i]!.push({ labels, v: v[i]! });
      },
      false,
    );
    if (collide) for (const vec of steps) checkDuplicates(vec);
    return steps;
  }

  private call(e: CallExpr, ts: readonly number[]): StepValue {
    const f = e.func;
    const args = e.args;
    if (RANGE_FUNCTIONS[f]) return { kind: 'vector', steps: this.rangeCallSteps(this.prepareRangeCall(e, ts), ts) };
    if (f === 'absent_over_time') {
      const rv = this.evalRange(args[0]!, ts);
      const labels = absentLabels(args[0]!);
      const steps = ts.map((_, i) => {
        for (const s of rv.series) {
          const a = upperBound(s.t, rv.lo[i]!);
          if (a < s.t.length && s.t[a]! <= rv.hi[i]!) return [];
        }
        return [{ labels, v: 1 }];
      });
      return { kind: 'vector', steps };
    }
    switch (f) {
      case 'time':
        return { kind: 'scalar', v: Float64Array.from(ts, (t) => t / 1000) };
      case 'pi':
        return { kind: 'scalar', v: new Float64Array(ts.length).fill(Math.PI) };
      case 'vector': {
        const s = this.scalarSteps(args[0]!, ts);
        return { kind: 'vector', steps: ts.map((_, i) => [{ labels: {}, v: s[i]! }]) };
      }
      case 'scalar': {
        const v = this.vectorArg(args[0]!, ts);
        return { kind: 'scalar', v: Float64Array.from(v, (vec) => (vec.length === 1 ? vec[0]!.v : NaN)) };
      }
      case 'absent': {
        const v = this.vectorArg(args[0]!, ts);
        const labels = absentLabels(args[0]!);
        return { kind: 'vector', steps: v.map((vec) => (vec.length > 0 ? [] : [{ labels, v: 1 }])) };
      }
      case 'timestamp': {
        const inner = unwrap(args[0]!);
        const v = this.vectorArg(args[0]!, ts);
        const useOwn = inner.kind === 'vectorSelector';
        return this.mapVec(v, (s, i) => ({ labels: dropName(s.labels), v: (useOwn ? s.t! : ts[i]!) / 1000 }));
      }
      case 'sort':
      case 'sort_desc': {
        const v = this.vectorArg(args[0]!, ts);
        const desc = f === 'sort_desc';
        return {
          kind: 'vector',
          steps: v.map((vec) =>
            vec.slice().sort((a, b) => {
              if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
              if (Number.isNaN(b.v)) return -1;
              return desc ? b.v - a.v : a.v - b.v;
            }),
          ),
        };
      }
      case 'sort_by_label':
      case 'sort_by_label_desc': {
        const v = this.vectorArg(args[0]!, ts);
        const names = args.slice(1).map((a) => this.stringOf(a, ts));
        return { kind: 'vector', steps: v.map((vec) => sortByLabel(vec, names, f === 'sort_by_label_desc')) };
      }
      case 'label_replace': {
        const v = this.vectorArg(args[0]!, ts);
        const [dst, repl, src, re] = args.slice(1).map((a) => this.stringOf(a, ts)) as [string, string, string, string];
        return this.checked(v.map((vec) => labelReplace(vec, dst, repl, src, re)));
      }
      case 'label_join': {
        const v = this.vectorArg(args[0]!, ts);
        const [dst, sep, ...srcs] = args.slice(1).map((a) => this.stringOf(a, ts)) as [string, string, ...string[]];
        return this.checked(v.map((vec) => labelJoin(vec, dst, sep, srcs)));
      }
      case 'histogram_quantile': {
        const q = this.scalarSteps(args[0]!, ts);
        const v = this.vectorArg(args[1]!, ts);
        return this.checked(v.map((vec, i) => histogramQuantile(q[i]!, vec)));
      }
      case 'clamp':
      case 'clamp_min':
      case 'clamp_max': {
        const v = this.vectorArg(args[0]!, ts);
        const p1 = this.scalarSteps(args[1]!, ts);
        const p2 = f === 'clamp' ? this.scalarSteps(args[2]!, ts) : null;
        return this.checked(
          v.map((vec, i) => {
            const a = p1[i]!;
            if (f === 'clamp' && p2![i]! < a) return [];
            return vec.map((s) => {
              let x = s.v;
              if (f === 'clamp') x = Math.max(a, Math.min(p2![i]!, x));
              else if (f === 'clamp_min') x = Math.max(a, x);
              else x = Math.min(a, x);
              return { labels: dropName(s.labels), v: x };
            });
          }),
        );
      }
      case 'round': {
        const v = this.vectorArg(args[0]!, ts);
        const to = args[1] ? this.scalarSteps(args[1], ts) : null;
        return this.mapVec(v, (s, i) => {
          const inv = 1 / (to ? to[i]! : 1);
          return { labels: dropName(s.labels), v: Math.floor(s.v * inv + 0.5) / inv };
        });
      }
    }
    if (DATE_FUNCTIONS[f]) {
      if (args.length === 0) {
        return { kind: 'vector', steps: ts.map((t) => [{ labels: {}, v: dateValue(f, t / 1000) }]) };
      }
      const v = this.vectorArg(args[0]!, ts);
      return this.mapVec(v, (s) => ({ labels: dropName(s.labels), v: dateValue(f, s.v) }));
    }
    const mathFn = MATH_FUNCTIONS[f];
    if (mathFn) {
      const v = this.vectorArg(args[0]!, ts);
      return this.mapVec(v, (s) => ({ labels: dropName(s.labels), v: mathFn(s.v) }));
    }
    throw new PromqlEvalError(`function ${JSON.stringify(f)} is not supported`);
  }

  private vectorArg(e: PromqlExpr, ts: readonly number[]): Sample[][] {
    const v = this.eval(e, ts);
    if (v.kind !== 'vector') throw new PromqlEvalError('expected an instant vector');
    return v.steps;
  }

  private mapVec(steps: Sample[][], f: (s: Sample, i: number) => Sample): StepValue {
    return this.checked(steps.map((vec, i) => vec.map((s) => f(s, i))));
  }

  private checked(steps: Sample[][]): StepValue {
    for (const vec of steps) checkDuplicates(vec);
    return { kind: 'vector', steps };
  }
}

function unwrap(e: PromqlExpr): PromqlExpr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

/** Labels of absent()'s output: the selector's equality matchers, minus names matched twice. */
function absentLabels(e: PromqlExpr): Labels {
  const u = unwrap(e);
  let matchers: readonly LabelMatcher[] = [];
  if (u.kind === 'vectorSelector') matchers = u.matchers;
  else if (u.kind === 'matrixSelector') matchers = u.vector.matchers;
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (seen.has(m.name)) {
      delete out[m.name];
      continue;
    }
    seen.add(m.name);
    if (m.type === '=' && m.value !== '') out[m.name] = m.value;
  }
  return out;
}
