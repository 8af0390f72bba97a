import { labelsKey, type Labels } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { formatFloatF, kahanInc, keyOf, quantileOf, type Sample } from './eval-types.js';

interface Group {
  labels: Labels;
  samples: Sample[];
}

/** The labels of the group a series with `labels` falls into under the aggregation's by/without clause. */
export function groupLabelsOf(e: AggregateExpr, labels: Labels): Labels {
  const out: Record<string, string> = {};
  if (e.without) {
    const drop = new Set([...e.grouping, '__name__']);
    for (const [n, v] of Object.entries(labels)) if (!drop.has(n) && v !== '') out[n] = v;
  } else {
    for (const n of e.grouping) {
      const v = labels[n];
      if (v !== undefined && v !== '') out[n] = v;
    }
  }
  return out;
}

/** Group keys and group label sets of one aggregation, memoised across its steps. */
export interface Grouper {
  /** The key of the group of a series with `labels` (equal keys = same group). */
  key(labels: Labels): string;
  /** The group labels for `key` (one shared object per group), computed from a member's `labels`. */
  labels(key: string, labels: Labels): Labels;
}

/**
 * Creates the grouper of an aggregation's by/without clause. For `by`, keys are built straight
 * from the label values (no label object, sort or WeakMap entry per series); label objects are
 * made once per group.
 */
export function createGrouper(e: AggregateExpr): Grouper {
  const byNames = e.without ? undefined : [...new Set(e.grouping)].sort();
  const keys = new Map<Labels, string>();
  const groupLabels = new Map<string, Labels>();
  return {
    key(labels) {
      let k = keys.get(labels);
      if (k !== undefined) return k;
      if (byNames) {
        k = '';
        for (const name of byNames) {
          const v = labels[name];
          if (v !== undefined && v !== '') k += name + '\xff' + v + '\xfe';
        }
      } else k = labelsKey(groupLabelsOf(e, labels));
      keys.set(labels, k);
      return k;
    },
    labels(key, labels) {
      let gl = groupLabels.get(key);
      if (!gl) {
        gl = groupLabelsOf(e, labels);
        groupLabels.set(key, gl);
      }
      return gl;
    },
  };
}

/** Groups one step's vector by the aggregation's by/without clause, in first-seen order. */
function groupVector(vec: Sample[], grouper: Grouper): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const s of vec) {
    const k = grouper.key(s.labels);
    let g = groups.get(k);
    if (!g) {
      g = { labels: grouper.labels(k, s.labels), samples: [] };
      groups.set(k, g);
    }
    g.samples.push(s);
  }
  return groups;
}

function sum(ss: Sample[]): number {
  let s = 0;
  let c = 0;
  for (const x of ss) [s, c] = kahanInc(x.v, s, c);
  return s + c;
}

function avg(ss: Sample[]): number {
  let s = 0;
  let c = 0;
  for (const x of ss) {
    const [ns, nc] = kahanInc(x.v, s, c);
    if (!Number.isFinite(ns) && !Number.isNaN(ns)) {
      let mean = 0;
      let mc = 0;
      let count = 0;
      for (const y of ss) {
        count++;
        if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
          if (!Number.isFinite(y.v) && !Number.isNaN(y.v) && mean > 0 === y.v > 0) continue;
          if (Number.isFinite(y.v)) continue;
        }
        [mean, mc] = kahanInc(y.v / count - (mean + mc) / count, mean, mc);
      }
      return mean + mc;
    }
    s = ns;
    c = nc;
  }
  return (s + c) / ss.length;
}

function variance(ss: Sample[]): number {
  let count = 0;
  let mean = 0;
  let value = 0;
  for (const x of ss) {
    count++;
    const delta = x.v - mean;
    mean += delta / count;
    value += delta * (x.v - mean);
  }
  return value / count;
}

function extreme(ss: Sample[], better: (a: number, b: number) => boolean): number {
  let best = ss[0]!.v;
  for (const x of ss) if (better(x.v, best) || Number.isNaN(best)) best = x.v;
  return best;
}

/** Orders for topk (desc, NaN last) and bottomk (asc, NaN last). */
function ranked(ss: Sample[], desc: boolean): Sample[] {
  return ss.slice().sort((a, b) => {
    if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
    if (Number.isNaN(b.v)) return -1;
    return desc ? b.v - a.v : a.v - b.v;
  });
}

/**
 * Evaluates one step of an aggregation over `vec`; `param` is the step's scalar parameter (or the
 * count_values label). `grouper` (from `createGrouper(e)`) memoises group keys and labels across steps.
 */
export function aggregateStep(
  e: AggregateExpr,
  vec: Sample[],
  param: number | string | undefined,
  grouper: Grouper,
): Sample[] {
  const out: Sample[] = [];
  if (e.op === 'count_values') {
    const label = param as string;
    const counts = new Map<string, { labels: Labels; n: number }>();
    for (const g of groupVector(vec, grouper).values()) {
      for (const s of g.samples) {
        const labels = { ...g.labels, [label]: formatFloatF(s.v) };
        const k = keyOf(labels);
        const c = counts.get(k);
        if (c) c.n++;
        else counts.set(k, { labels, n: 1 });
      }
    }
    for (const c of counts.values()) out.push({ labels: c.labels, v: c.n });
    return out;
  }
  const groups = groupVector(vec, grouper);
  for (const g of groups.values()) {
    const ss = g.samples;
    switch (e.op) {
      case 'sum':
        out.push({ labels: g.labels, v: sum(ss) });
        break;
      case 'avg':
        out.push({ labels: g.labels, v: avg(ss) });
        break;
      case 'count':
        out.push({ labels: g.labels, v: ss.length });
        break;
      case 'group':
        out.push({ labels: g.labels, v: 1 });
        break;
      case 'min':
        out.push({ labels: g.labels, v: extreme(ss, (a, b) => a < b) });
        break;
      case 'max':
        out.push({ labels: g.labels, v: extreme(ss, (a, b) => a > b) });
        break;
      case 'stdvar':
        out.push({ labels: g.labels, v: variance(ss) });
        break;
      case 'stddev':
        out.push({ labels: g.labels, v: Math.sqrt(variance(ss)) });
        break;
      case 'quantile':
        out.push({
          labels: g.labels,
          v: quantileOf(
            param as number,
            ss.map((s) => s.v),
          ),
        });
        break;
      case 'topk':
      case 'bottomk':
      case 'limitk': {
        const k = Math.trunc(param as number);
        if (!(k >= 1)) break;
        const picked = e.op === 'limitk' ? ss.slice(0, k) : ranked(ss, e.op === 'topk').slice(0, k);
        for (const s of picked) out.push({ labels: s.labels, v: s.v });
        break;
      }
      case 'limit_ratio': {
        const r = param as number;
        const n = Math.floor(Math.abs(r) * ss.length);
        const picked = r >= 0 ? ss.slice(0, n) : ss.slice(ss.length - n);
        for (const s of picked) out.push({ labels: s.labels, v: s.v });
        break;
      }
      default:
        throw new Error(`unknown aggregation ${e.op}`);
    }
  }
  return out;
}
