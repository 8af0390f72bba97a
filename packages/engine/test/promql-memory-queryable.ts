import type { Labels } from '../src/model/labels.js';
import { matchLabels, type LabelMatcher } from '../src/model/matchers.js';
import type { Queryable, SeriesSamples } from '../src/model/queryable.js';
import { STALE_NAN, isStaleNaN } from '../src/model/samples.js';

/** A tiny array-backed Queryable for PromQL tests: samples are appended in timestamp order per series. */
export interface MemoryQueryable extends Queryable {
  add(labels: Labels, timestamp: number, value: number): void;
}

/** Creates an empty in-memory Queryable. */
export function createMemoryQueryable(): MemoryQueryable {
  // Plain arrays canonicalise NaN bit patterns, so staleness markers are tracked separately.
  const series = new Map<string, { labels: Labels; t: number[]; v: number[]; stale: Set<number> }>();
  const key = (l: Labels) =>
    Object.keys(l)
      .sort()
      .map((k) => `${k}\xff${l[k]}`)
      .join('\xfe');
  const matching = (ms: readonly LabelMatcher[] = []) => [...series.values()].filter((s) => matchLabels(ms, s.labels));
  return {
    add(labels, timestamp, value) {
      const k = key(labels);
      let s = series.get(k);
      if (!s) {
        s = { labels, t: [], v: [], stale: new Set() };
        series.set(k, s);
      }
      if (isStaleNaN(value)) s.stale.add(s.t.length);
      s.t.push(timestamp);
      s.v.push(value);
    },
    select(matchers, mint, maxt) {
      const out: SeriesSamples[] = [];
      for (const s of matching(matchers)) {
        let a = 0;
        while (a < s.t.length && s.t[a]! < mint) a++;
        let b = a;
        while (b < s.t.length && s.t[b]! <= maxt) b++;
        if (b <= a) continue;
        const values = Float64Array.from(s.v.slice(a, b));
        for (const i of s.stale) if (i >= a && i < b) values[i - a] = STALE_NAN;
        out.push({ labels: s.labels, timestamps: s.t.slice(a, b), values });
      }
      return out;
    },
    labelNames(matchers) {
      return [...new Set(matching(matchers).flatMap((s) => Object.keys(s.labels)))].sort();
    },
    labelValues(name, matchers) {
      return [...new Set(matching(matchers).map((s) => s.labels[name]).filter((v): v is string => v !== undefined))].sort();
    },
  };
}
