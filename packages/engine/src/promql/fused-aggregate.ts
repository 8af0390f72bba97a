import type { Labels } from '../model/labels.js';
import { createGrouper } from './aggregate.js';
import type { AggregateExpr } from './ast.js';
import type { Sample } from './eval-types.js';

/**
 * Receives one series' values at every step: `has[i] === 1` when the series has a value `v[i]` at
 * step i. The arrays are reused between calls: read them before returning.
 */
export type SeriesStepsSink = (labels: Labels, v: Float64Array, has: Uint8Array) => void;

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

/** Aggregations that `createFusedAggregation` computes incrementally, series by series. */
const FUSABLE = new Set(['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar']);

/** True when `e` can be computed by `createFusedAggregation` (a streaming-friendly op without parameter). */
export function isFusableAggregation(e: AggregateExpr): boolean {
  return e.param === null && FUSABLE.has(e.op);
}

interface Acc {
  readonly labels: Labels;
  /** sum/avg: Kahan sum; min/max: extreme; stddev/stdvar: running mean. */
  readonly a: Float64Array;
  /** sum/avg: Kahan compensation; stddev/stdvar: running sum of squared deviations. */
  readonly b: Float64Array;
  /** avg only: incremental mean and its compensation, used when the sum overflows (else empty). */
  readonly mean: Float64Array;
  readonly meanC: Float64Array;
  /** avg only: 1 once the Kahan sum has overflowed to ±Inf at that step. */
  readonly overflow: Uint8Array;
  /** Samples aggregated per step. */
  readonly n: Float64Array;
  /** Ordinal of the first series that contributed at each step (orders groups as first seen). */
  readonly first: Int32Array;
}

/** An aggregation computed one input series at a time over all steps. */
export interface FusedAggregation {
  /** Feeds one input series (a `SeriesStepsSink`). */
  readonly add: SeriesStepsSink;
  /** The per-step output vectors, groups in first-seen order at each step. */
  result(): Sample[][];
}

/**
 * Creates an aggregation (one of `isFusableAggregation`'s ops) over `steps` steps that consumes
 * input series one at a time into per-group typed arrays, instead of building every step's input
 * vector. It adds the values of each group and step in input-series order, exactly as the
 * step-at-a-time aggregation does, so results are bit-identical.
 */
export function createFusedAggregation(e: AggregateExpr, steps: number): FusedAggregation {
  const op = e.op;
  const byKey = new Map<string, Acc>();
  const groups: Acc[] = [];
  let ordinal = 0;

  const grouper = createGrouper(e);
  const groupOf = (labels: Labels): Acc => {
    const k = grouper.key(labels);
    let g = byKey.get(k);
    if (!g) {
      g = {
        labels: grouper.labels(k, labels),
        a: new Float64Array(steps),
        b: new Float64Array(steps),
        n: new Float64Array(steps),
        first: new Int32Array(steps).fill(-1),
        mean: op === 'avg' ? new Float64Array(steps) : EMPTY_F64,
        meanC: op === 'avg' ? new Float64Array(steps) : EMPTY_F64,
        overflow: op === 'avg' ? new Uint8Array(steps) : EMPTY_U8,
      };
      byKey.set(k, g);
      groups.push(g);
    }
    return g;
  };

  const add: SeriesStepsSink = (labels, v, has) => {
    const g = groupOf(labels);
    const { a, b, n, first } = g;
    const me = ordinal++;
    for (let i = 0; i < steps; i++) {
      if (has[i] !== 1) continue;
      const x = v[i]!;
      const cnt = n[i]! + 1;
      n[i] = cnt;
      if (cnt === 1) first[i] = me;
      switch (op) {
        case 'sum': {
          // Kahan-Babuška step, as kahanInc (inlined: no tuple per sample).
          const s = a[i]!;
          const t = s + x;
          if (!Number.isFinite(t) && !Number.isNaN(t)) {
            a[i] = t;
            b[i] = 0;
          } else {
            b[i] = b[i]! + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
            a[i] = t;
          }
          break;
        }
        case 'avg': {
          // As the step-wise avg: a Kahan sum, unless it ever overflows; then the incremental
          // mean over the same samples, which is run alongside so no sample has to be kept.
          if (g.overflow[i] === 0) {
            const s = a[i]!;
            const t = s + x;
            if (!Number.isFinite(t) && !Number.isNaN(t)) g.overflow[i] = 1;
            else {
              b[i] = b[i]! + (Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s);
              a[i] = t;
            }
          }
          const mean = g.mean[i]!;
          if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
            if (!Number.isFinite(x) && !Number.isNaN(x) && mean > 0 === x > 0) break;
            if (Number.isFinite(x)) break;
          }
          const inc = x / cnt - (mean + g.meanC[i]!) / cnt;
          const t = mean + inc;
          if (!Number.isFinite(t) && !Number.isNaN(t)) g.meanC[i] = 0;
          else g.meanC[i] = g.meanC[i]! + (Math.abs(mean) >= Math.abs(inc) ? mean - t + inc : inc - t + mean);
          g.mean[i] = t;
          break;
        }
        case 'min': {
          const best = a[i]!;
          if (cnt === 1 || x < best || best !== best) a[i] = x;
          break;
        }
        case 'max': {
          const best = a[i]!;
          if (cnt === 1 || x > best || best !== best) a[i] = x;
          break;
        }
        case 'stddev':
        case 'stdvar': {
          const mean = a[i]!;
          const delta = x - mean;
          const m2 = mean + delta / cnt;
          a[i] = m2;
          b[i] = b[i]! + delta * (x - m2);
          break;
        }
        default:
          break; // count and group need only n
      }
    }
  };

  const valueAt = (g: Acc, i: number): number => {
    switch (op) {
      case 'sum':
        return g.a[i]! + g.b[i]!;
      case 'avg':
        return g.overflow[i] === 1 ? g.mean[i]! + g.meanC[i]! : (g.a[i]! + g.b[i]!) / g.n[i]!;
      case 'count':
        return g.n[i]!;
      case 'group':
        return 1;
      case 'min':
      case 'max':
        return g.a[i]!;
      case 'stdvar':
        return g.b[i]! / g.n[i]!;
      default:
        return Math.sqrt(g.b[i]! / g.n[i]!);
    }
  };

  return {
    add,
    result() {
      const out: Sample[][] = [];
      const present: Acc[] = [];
      for (let i = 0; i < steps; i++) {
        present.length = 0;
        for (const g of groups) if (g.n[i]! > 0) present.push(g);
        if (present.length > 1) present.sort((x, y) => x.first[i]! - y.first[i]!);
        out.push(present.map((g) => ({ labels: g.labels, v: valueAt(g, i) })));
      }
      return out;
    },
  };
}
