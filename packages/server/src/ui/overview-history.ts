import { labelsKey, type Labels, type MatrixSeries, type PromqlEngine, type Queryable, type QueryValue } from '@vigil/engine';

/** Options of `createOverviewHistory`. */
export interface OverviewHistoryOptions {
  /**
   * Points at least this old (ms before now) are kept and reused; newer ones are computed again on
   * every overview, since samples of the last scrapes may still arrive. Default 5 min.
   */
  readonly settleMs?: number;
  /** A cached query is recomputed over its whole window at least this often (ms), so samples that arrived late still show; default 10 min. */
  readonly rebuildMs?: number;
  /** Queries kept at most (oldest dropped first); default 64. */
  readonly maxEntries?: number;
}

interface Entry {
  builtAt: number;
  /** Oldest aligned point time (ms) the entry covers. */
  first: number;
  /** Newest step-aligned point time (ms) stored; every aligned point from the window start up to it is stored. */
  until: number;
  series: Map<string, { labels: Labels; points: Map<number, number> }>;
}

/**
 * Chart points of earlier overview computations, reused by later ones. A chart point at a
 * step-aligned time that is older than `settleMs` does not change any more (its samples are all
 * in), so an overview only evaluates its queries over the last few minutes instead of over the
 * whole window: a 24 h window no longer decodes 24 h of samples per request.
 */
export interface OverviewHistory {
  /**
   * The matrix of `expr` at the aligned times `start, start+step, …, alignedEnd` (both multiples
   * of `step`), equal to `engine.rangeQuery` over them except for samples that arrived later than
   * `settleMs` (seen after the next rebuild). Throws what the engine throws.
   */
  range(engine: PromqlEngine, queryable: Queryable, expr: string, start: number, alignedEnd: number, step: number, now: number): MatrixSeries[];
}

function matrix(v: QueryValue): readonly MatrixSeries[] {
  return v.type === 'matrix' ? v.series : [];
}

/**
 * Creates an empty {@link OverviewHistory} (one per monitor: it holds a few thousand points per
 * chart window).
 *
 * @example
 * const history = createOverviewHistory();
 * await computeOverview(sources, { rangeMs: 86_400_000, history });
 */
export function createOverviewHistory(options: OverviewHistoryOptions = {}): OverviewHistory {
  const settleMs = options.settleMs ?? 300_000;
  const rebuildMs = options.rebuildMs ?? 600_000;
  const maxEntries = options.maxEntries ?? 64;
  const entries = new Map<string, Entry>();
  return {
    range(engine, queryable, expr, start, alignedEnd, step, now) {
      const key = `${step}\u0000${expr}`;
      let e = entries.get(key);
      // A gap since the last use, a clock that went back, or an old entry: start over.
      if (!e || e.first > start || e.until < start - step || e.until > alignedEnd || now - e.builtAt >= rebuildMs || now < e.builtAt) {
        e = { builtAt: now, first: start, until: start - step, series: new Map() };
      }
      const from = Math.max(start, e.until + step);
      const fresh: MatrixSeries[] = [];
      if (from <= alignedEnd) fresh.push(...matrix(engine.rangeQuery(queryable, expr, from, alignedEnd, step)));

      // The answer: stored points in the window, then the fresh ones.
      const out = new Map<string, { labels: Labels; points: { t: number; v: number }[] }>();
      for (const [k, s] of e.series) {
        const points: { t: number; v: number }[] = [];
        for (const [t, v] of s.points) if (t >= start && t < from) points.push({ t, v });
        if (points.length) out.set(k, { labels: s.labels, points });
      }
      const settled = Math.min(alignedEnd, Math.floor((now - settleMs) / step) * step);
      for (const s of fresh) {
        const k = labelsKey(s.labels);
        let o = out.get(k);
        if (!o) out.set(k, (o = { labels: s.labels, points: [] }));
        o.points.push(...s.points);
      }

      // Keep the settled points of the window for the next overview.
      const kept = new Map<string, { labels: Labels; points: Map<number, number> }>();
      for (const [k, s] of out) {
        const points = new Map<number, number>();
        for (const p of s.points) if (p.t <= settled) points.set(p.t, p.v);
        if (points.size) kept.set(k, { labels: s.labels, points });
      }
      entries.delete(key);
      if (settled >= start) entries.set(key, { builtAt: e.builtAt, first: start, until: settled, series: kept });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return [...out.values()];
    },
  };
}
