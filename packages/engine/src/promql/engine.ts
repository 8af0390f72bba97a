import { compareLabels, type Labels } from '../model/labels.js';
import type { Queryable } from '../model/queryable.js';
import type { MatrixSeries, Point, QueryValue } from '../model/values.js';
import { promqlExprType, type PromqlExpr } from './ast.js';
import { PromqlEvalError } from './errors.js';
import { keyOf, upperBound } from './eval-types.js';
import { Evaluator } from './evaluator.js';
import { parsePromql } from './parse.js';

/** Options of `createPromqlEngine`. */
export interface PromqlEngineOptions {
  /** How far back an instant selector looks for a sample (ms); default 300_000 (5 m). */
  readonly lookbackDeltaMs?: number;
  /** Most samples one query may load; default 50_000_000 as in Prometheus. */
  readonly maxSamples?: number;
  /** Wall-clock budget of one query (ms); default 120_000. */
  readonly timeoutMs?: number;
  /** Step of subqueries written without one (`x[1h:]`), ms; default 60_000 (Prometheus's global evaluation interval). */
  readonly defaultSubqueryStepMs?: number;
  /** Clock used for timeouts; default Date.now. */
  readonly now?: () => number;
}

/** A PromQL engine: evaluates expressions against any Queryable. */
export interface PromqlEngine {
  /** Evaluates `expr` at `timeMs`; vector, scalar, string, or matrix for a range-vector expression. */
  instantQuery(q: Queryable, expr: string | PromqlExpr, timeMs: number): QueryValue;
  /** Evaluates `expr` at every step from `startMs` to `endMs` inclusive; always a matrix sorted by labels. */
  rangeQuery(q: Queryable, expr: string | PromqlExpr, startMs: number, endMs: number, stepMs: number): QueryValue;
}

/**
 * Creates a PromQL engine with Prometheus 3 semantics (left-open ranges and lookback, staleness,
 * offset/@, subqueries, float functions and aggregations). Throws `PromqlParseError` for bad
 * expressions and `PromqlEvalError` for evaluation failures.
 *
 * @example
 * const engine = createPromqlEngine();
 * const v = engine.instantQuery(store, 'sum(rate(http_requests_total[5m]))', Date.now());
 */
export function createPromqlEngine(options: PromqlEngineOptions = {}): PromqlEngine {
  const lookbackDeltaMs = options.lookbackDeltaMs ?? 300_000;
  const maxSamples = options.maxSamples ?? 50_000_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const defaultSubqueryStepMs = options.defaultSubqueryStepMs ?? 60_000;
  const now = options.now ?? Date.now;
  const evaluator = (q: Queryable, start: number, end: number): Evaluator =>
    new Evaluator(q, { lookbackDeltaMs, maxSamples, deadline: now() + timeoutMs, now, defaultSubqueryStepMs }, start, end);
  const toExpr = (e: string | PromqlExpr): PromqlExpr => (typeof e === 'string' ? parsePromql(e) : e);

  return {
    instantQuery(q, exprIn, timeMs) {
      const expr = toExpr(exprIn);
      const ev = evaluator(q, timeMs, timeMs);
      if (promqlExprType(expr) === 'matrix') {
        const rv = ev.evalRange(expr, [timeMs]);
        const series: MatrixSeries[] = [];
        for (const s of rv.series) {
          const a = upperBound(s.t, rv.lo[0]!);
          const b = upperBound(s.t, rv.hi[0]!, a);
          if (b <= a) continue;
          const points: Point[] = [];
          for (let i = a; i < b; i++) points.push({ t: s.t[i]!, v: s.v[i]! });
          series.push({ labels: s.labels, points });
        }
        series.sort((x, y) => compareLabels(x.labels, y.labels));
        return { type: 'matrix', series };
      }
      const v = ev.eval(expr, [timeMs]);
      switch (v.kind) {
        case 'scalar':
          return { type: 'scalar', value: v.v[0]!, timestamp: timeMs };
        case 'string':
          return { type: 'string', value: v.s, timestamp: timeMs };
        case 'vector':
          return { type: 'vector', samples: v.steps[0]!.map((s) => ({ labels: s.labels, value: s.v, timestamp: timeMs })) };
      }
    },
    rangeQuery(q, exprIn, startMs, endMs, stepMs) {
      const expr = toExpr(exprIn);
      if (!(stepMs > 0)) throw new PromqlEvalError('zero or negative query resolution step widths are not accepted');
      if (endMs < startMs) throw new PromqlEvalError('end timestamp must not be before start time');
      const t = promqlExprType(expr);
      if (t !== 'scalar' && t !== 'vector')
        throw new PromqlEvalError(`invalid expression type ${JSON.stringify(t === 'matrix' ? 'range vector' : t)} for range query, must be Scalar or instant Vector`);
      const ts: number[] = [];
      for (let x = startMs; x <= endMs; x += stepMs) ts.push(x);
      const ev = evaluator(q, startMs, endMs);
      const direct = ev.rangeSeries(expr, ts);
      if (direct) return { type: 'matrix', series: direct.sort((x, y) => compareLabels(x.labels, y.labels)) };
      const v = ev.eval(expr, ts);
      if (v.kind === 'scalar') {
        return { type: 'matrix', series: [{ labels: {}, points: ts.map((x, i) => ({ t: x, v: v.v[i]! })) }] };
      }
      if (v.kind !== 'vector') throw new PromqlEvalError('range query over a string');
      const byKey = new Map<string, { labels: Labels; points: Point[] }>();
      v.steps.forEach((vec, i) => {
        for (const s of vec) {
          const k = keyOf(s.labels);
          let ser = byKey.get(k);
          if (!ser) {
            ser = { labels: s.labels, points: [] };
            byKey.set(k, ser);
          } else if (ser.points[ser.points.length - 1]!.t === ts[i]!) {
            throw new PromqlEvalError('vector cannot contain metrics with the same labelset');
          }
          ser.points.push({ t: ts[i]!, v: s.v });
        }
      });
      const series = [...byKey.values()].sort((x, y) => compareLabels(x.labels, y.labels));
      return { type: 'matrix', series };
    },
  };
}
