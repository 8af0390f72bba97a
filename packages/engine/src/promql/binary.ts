import type { Labels } from '../model/labels.js';
import type { VectorMatching } from './ast.js';
import { PromqlEvalError } from './errors.js';
import { dropName, keyOf, type Sample } from './eval-types.js';
import { isComparisonOp } from './parse.js';

/** Applies an arithmetic or comparison operator to two floats; `keep` is false when a comparison fails. */
export function applyOp(op: string, l: number, r: number): { v: number; keep: boolean } {
  switch (op) {
    case '+':
      return { v: l + r, keep: true };
    case '-':
      return { v: l - r, keep: true };
    case '*':
      return { v: l * r, keep: true };
    case '/':
      return { v: l / r, keep: true };
    case '%':
      return { v: l % r, keep: true };
    case '^':
      return { v: goPow(l, r), keep: true };
    case 'atan2':
      return { v: Math.atan2(l, r), keep: true };
    case '==':
      return { v: l, keep: l === r };
    case '!=':
      return { v: l, keep: l !== r };
    case '>':
      return { v: l, keep: l > r };
    case '<':
      return { v: l, keep: l < r };
    case '>=':
      return { v: l, keep: l >= r };
    case '<=':
      return { v: l, keep: l <= r };
  }
  throw new Error(`unknown operator ${op}`);
}

function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Arithmetic (atan2 included, as in Prometheus 3) drops the metric name; comparisons keep it unless `bool`. */
function dropsName(op: string, returnBool: boolean): boolean {
  if (isComparisonOp(op)) return returnBool;
  return true;
}

/** Scalar-scalar operation (comparisons need `bool` and return 0/1). */
export function scalarBinop(op: string, l: number, r: number, returnBool: boolean): number {
  const res = applyOp(op, l, r);
  if (returnBool) return res.keep ? 1 : 0;
  return res.v;
}

/** Vector-scalar operation; `swap` means the scalar was on the left. */
export function vectorScalarBinop(op: string, vec: Sample[], scalar: number, swap: boolean, returnBool: boolean): Sample[] {
  const out: Sample[] = [];
  const cmp = isComparisonOp(op);
  for (const s of vec) {
    const l = swap ? scalar : s.v;
    const r = swap ? s.v : scalar;
    let { v, keep } = applyOp(op, l, r);
    if (cmp && swap) v = r;
    if (returnBool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ labels: dropsName(op, returnBool) ? dropName(s.labels) : s.labels, v });
  }
  return out;
}

/** Signature of a sample's labels for vector matching, memoised per label set in `cache`. */
function signature(m: VectorMatching, labels: Labels, cache: Map<Labels, string>): string {
  let sig = cache.get(labels);
  if (sig === undefined) {
    const out: Record<string, string> = {};
    if (m.on) {
      for (const n of m.labels) if (labels[n]) out[n] = labels[n]!;
    } else {
      const skip = new Set([...m.labels, '__name__']);
      for (const [n, v] of Object.entries(labels)) if (!skip.has(n) && v !== '') out[n] = v;
    }
    sig = keyOf(out);
    cache.set(labels, sig);
  }
  return sig;
}

function showLabels(l: Labels): string {
  return `{${Object.keys(l)
    .sort()
    .map((k) => `${k}=${JSON.stringify(l[k])}`)
    .join(', ')}}`;
}

/** `and`, `or`, `unless` for one step. */
export function setBinop(op: string, lhs: Sample[], rhs: Sample[], m: VectorMatching, cache: Map<Labels, string>): Sample[] {
  if (op === 'and' || op === 'unless') {
    const rsigs = new Set<string>();
    for (const s of rhs) rsigs.add(signature(m, s.labels, cache));
    const want = op === 'and';
    return lhs.filter((s) => rsigs.has(signature(m, s.labels, cache)) === want);
  }
  const lsigs = new Set<string>();
  for (const s of lhs) lsigs.add(signature(m, s.labels, cache));
  return lhs.concat(rhs.filter((s) => !lsigs.has(signature(m, s.labels, cache))));
}

function resultLabels(op: string, ls: Labels, rs: Labels, m: VectorMatching, returnBool: boolean): Labels {
  const out: Record<string, string> = { ...ls };
  if (dropsName(op, returnBool)) delete out.__name__;
  if (m.card === 'one-to-one') {
    if (m.on) {
      for (const n of Object.keys(out)) if (!m.labels.includes(n)) delete out[n];
    } else for (const n of m.labels) delete out[n];
  }
  for (const n of m.include) {
    const v = rs[n];
    if (v) out[n] = v;
    else delete out[n];
  }
  return out;
}

/** Arithmetic/comparison between two vectors with one-to-one or group_left/right matching. */
export function vectorBinop(
  op: string,
  lhsIn: Sample[],
  rhsIn: Sample[],
  m: VectorMatching,
  returnBool: boolean,
  cache: Map<Labels, string>,
): Sample[] {
  const swap = m.card === 'one-to-many';
  const lhs = swap ? rhsIn : lhsIn;
  const rhs = swap ? lhsIn : rhsIn;
  const right = new Map<string, Sample>();
  for (const s of rhs) {
    const sig = signature(m, s.labels, cache);
    const dup = right.get(sig);
    if (dup) {
      const side = swap ? 'left' : 'right';
      throw new PromqlEvalError(
        `found duplicate series for the match group ${sig.replace(/\xff/g, '=').replace(/\xfe/g, ', ')} on the ${side} hand-side of the operation: [${showLabels(dup.labels)}, ${showLabels(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(sig, s);
  }
  const out: Sample[] = [];
  const inserted = new Map<string, string>();
  const cmp = isComparisonOp(op);
  for (const ls of lhs) {
    const sig = signature(m, ls.labels, cache);
    const rs = right.get(sig);
    if (!rs) continue;
    // One-to-one: a second left-hand series for a match group is an error even if filtering would drop it.
    if (m.card === 'one-to-one') {
      if (inserted.has(sig)) throw new PromqlEvalError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      inserted.set(sig, '');
    }
    const l = swap ? rs.v : ls.v;
    const r = swap ? ls.v : rs.v;
    let { v, keep } = applyOp(op, l, r);
    if (returnBool) {
      v = keep ? 1 : 0;
      keep = true;
    } else if (!keep) continue;
    if (cmp && !returnBool) v = l;
    const labels = resultLabels(op, ls.labels, rs.labels, m, returnBool);
    if (m.card !== 'one-to-one') {
      const k = keyOf(labels);
      if (inserted.has(k)) throw new PromqlEvalError('multiple matches for labels: grouping labels must ensure unique matches');
      inserted.set(k, '');
    }
    out.push({ labels, v });
  }
  return out;
}
