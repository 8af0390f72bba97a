import type { Labels } from '../model/labels.js';
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

/** Groups one step's vector by the aggregation's by/without clause, in first-seen order. */
function groupVector(e: AggregateExpr, vec: Sample[], cache: Map<Labels, Labels>): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const s of vec) {
    let gl = cache.get(s.labels);
    if (!gl) {
      // keyOf memoises per label-set object, so group keys are computed once per input series.
      gl = groupLabelsOf(e, s.labels);
      cache.set(s.labels, gl);
    }
    const k = keyOf(gl);
    let g = groups.get(k);
    if (!g) {
      g = { labels: gl, samples: [] };
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
 * count_values label). `cache` memoises group labels per input label set across steps.
 */
export function aggregateStep(
  e: AggregateExpr,
  vec: Sample[],
  param: number | string | undefined,
  cache: Map<Labels, Labels>,
): Sample[] {
  const out: Sample[] = [];
  if (e.op === 'count_values') {
    const label = param as string;
    const counts = new Map<string, { labels: Labels; n: number }>();
    for (const g of groupVector(e, vec, cache).values()) {
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
  const groups = groupVector(e, vec, cache);
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
