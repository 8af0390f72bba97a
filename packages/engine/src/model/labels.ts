/**
 * A label set: label name → value. `__name__` holds the metric name. Treated as immutable; an
 * empty value is the same as an absent label, as in Prometheus.
 */
export type Labels = Readonly<Record<string, string>>;

/** The label that carries the metric name. */
export const METRIC_NAME = '__name__';

/**
 * Canonical key of a label set: names sorted, empty values dropped, joined unambiguously. Two label
 * sets get the same key exactly when they are equal, so it can key maps of series.
 */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).filter((n) => labels[n] !== '').sort();
  let key = '';
  for (const n of names) key += n + '\xff' + labels[n] + '\xfe';
  return key;
}

/** Copy of `labels` with the names in `drop` removed (and empty values dropped). */
export function withoutLabels(labels: Labels, drop: Iterable<string>): Labels {
  const out: Record<string, string> = {};
  const skip = new Set(drop);
  for (const [n, v] of Object.entries(labels)) if (!skip.has(n) && v !== '') out[n] = v;
  return out;
}

/** Copy of `labels` keeping only the names in `keep` (empty values dropped). */
export function onlyLabels(labels: Labels, keep: Iterable<string>): Labels {
  const out: Record<string, string> = {};
  for (const n of keep) {
    const v = labels[n];
    if (v !== undefined && v !== '') out[n] = v;
  }
  return out;
}

/** Compares label sets the way Prometheus sorts series: by sorted (name, value) pairs. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).filter((n) => a[n] !== '').sort();
  const bn = Object.keys(b).filter((n) => b[n] !== '').sort();
  const len = Math.min(an.length, bn.length);
  for (let i = 0; i < len; i++) {
    if (an[i] !== bn[i]) return an[i]! < bn[i]! ? -1 : 1;
    const av = a[an[i]!]!;
    const bv = b[bn[i]!]!;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}
