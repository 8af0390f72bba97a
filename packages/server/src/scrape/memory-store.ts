import { labelsKey, matchLabels, type Appendable, type LabelMatcher, type Labels, type Queryable, type SeriesSamples } from '@vigil/engine';

// Float64Array keeps the staleness NaN's bit pattern; plain arrays may canonicalise NaNs.
interface Series {
  readonly labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

/** An in-memory series store: Queryable + Appendable with retention and counts. */
export interface MemorySeriesStore extends Queryable, Appendable {
  /** Drops samples older than `minTs` and series left empty. */
  truncate(minTs: number): void;
  /** Number of series with samples. */
  seriesCount(): number;
  /** Total samples held. */
  sampleCount(): number;
}

/**
 * Creates the monitor's in-memory series store (a thin adapter until the engine's series store is
 * exported). Out-of-order samples for a series are dropped, equal timestamps overwrite.
 */
export function createMemorySeriesStore(): MemorySeriesStore {
  const series = new Map<string, Series>();
  const byName = new Map<string, Set<Series>>();
  let samples = 0;

  function candidates(matchers: readonly LabelMatcher[]): Iterable<Series> {
    const eq = matchers.find((m) => m.name === '__name__' && m.type === '=');
    if (eq) return byName.get(eq.value) ?? [];
    return series.values();
  }
  function lower(a: Float64Array, n: number, t: number): number {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  function inWindow(s: Series, mint: number, maxt: number): boolean {
    const a = lower(s.ts, s.n, mint);
    return a < s.n && s.ts[a]! <= maxt;
  }
  function filtered(matchers: readonly LabelMatcher[] = [], mint = -Infinity, maxt = Infinity): Series[] {
    const out: Series[] = [];
    for (const s of candidates(matchers)) if (matchLabels(matchers, s.labels) && inWindow(s, mint, maxt)) out.push(s);
    return out;
  }
  return {
    append(labels, timestamp, value) {
      const key = labelsKey(labels);
      let s = series.get(key);
      if (!s) {
        s = { labels, ts: new Float64Array(8), vs: new Float64Array(8), n: 0 };
        series.set(key, s);
        const name = labels.__name__ ?? '';
        let set = byName.get(name);
        if (!set) byName.set(name, (set = new Set()));
        set.add(s);
      }
      const last = s.n - 1;
      if (last >= 0 && s.ts[last]! > timestamp) return;
      if (last >= 0 && s.ts[last] === timestamp) {
        s.vs[last] = value;
        return;
      }
      if (s.n === s.ts.length) {
        const ts = new Float64Array(s.n * 2);
        ts.set(s.ts);
        const vs = new Float64Array(s.n * 2);
        vs.set(s.vs);
        s.ts = ts;
        s.vs = vs;
      }
      s.ts[s.n] = timestamp;
      s.vs[s.n] = value;
      s.n++;
      samples++;
    },
    select(matchers, mint, maxt): SeriesSamples[] {
      const out: SeriesSamples[] = [];
      for (const s of candidates(matchers)) {
        if (!matchLabels(matchers, s.labels)) continue;
        const a = lower(s.ts, s.n, mint);
        let b = lower(s.ts, s.n, maxt);
        if (b < s.n && s.ts[b] === maxt) b++;
        if (b > a) out.push({ labels: s.labels, timestamps: s.ts.slice(a, b), values: s.vs.slice(a, b) });
      }
      return out;
    },
    labelNames(matchers, mint, maxt) {
      const names = new Set<string>();
      for (const s of filtered(matchers, mint, maxt)) for (const k of Object.keys(s.labels)) names.add(k);
      return [...names].sort();
    },
    labelValues(name, matchers, mint, maxt) {
      const values = new Set<string>();
      for (const s of filtered(matchers, mint, maxt)) {
        const v = s.labels[name];
        if (v !== undefined && v !== '') values.add(v);
      }
      return [...values].sort();
    },
    truncate(minTs) {
      for (const [key, s] of series) {
        const a = lower(s.ts, s.n, minTs);
        if (a === 0) continue;
        samples -= a;
        s.ts.copyWithin(0, a, s.n);
        s.vs.copyWithin(0, a, s.n);
        s.n -= a;
        if (s.n === 0) {
          series.delete(key);
          byName.get(s.labels.__name__ ?? '')?.delete(s);
        }
      }
    },
    seriesCount: () => series.size,
    sampleCount: () => samples,
  };
}
