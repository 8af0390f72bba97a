import { labelsKey, type Labels } from '../model/labels.js';
import type { SeriesStore } from './series-store.js';

/** What the scrape appender needs from a parsed sample (a `ParsedSample` fits). */
export interface ScrapeSampleLike {
  readonly labels: Labels;
  readonly value: number;
  /** Explicit timestamp from the exposition (ms); such series never get staleness markers, as in Prometheus. */
  readonly timestamp?: number;
  /** Cache key for the series (`ParsedSample.seriesText`); the labels key is used when absent. */
  readonly seriesText?: string;
}

/** Options of `createScrapeAppender`. */
export interface ScrapeAppenderOptions {
  /** Rewrites a scraped label set before storage (target labels, relabelling); must be deterministic. */
  readonly mapLabels?: (labels: Labels) => Labels;
  /** Called for a sample the store rejected (out of order, duplicate, series limit) instead of throwing. */
  readonly onReject?: (sample: ScrapeSampleLike, error: unknown) => void;
}

/**
 * Appends one target's scrapes into a store, with the scrape-loop bookkeeping: `add()` each parsed
 * sample, then `commit(scrapeTime)` writes StaleNaN for series present in the previous scrape but
 * missing from this one; `markAllStale(t)` is for a failed scrape or a removed target.
 */
export interface ScrapeAppender {
  /** Appends a sample at its own timestamp, or `scrapeTime`; returns false when the store rejected it. */
  add(sample: ScrapeSampleLike, scrapeTime: number): boolean;
  /** Ends the scrape: stale markers for vanished series; returns how many were written. */
  commit(scrapeTime: number): number;
  /** Stale markers for every series of the last committed scrape (scrape failed / target gone). */
  markAllStale(timestamp: number): number;
  /** Series appended in the last committed scrape. */
  readonly lastScrapeSeries: number;
}

/**
 * Creates a per-target scrape appender over `store`. It caches series refs by the series text so
 * steady-state scrapes skip label hashing, and tracks the series of each scrape for staleness.
 */
export function createScrapeAppender(store: SeriesStore, options: ScrapeAppenderOptions = {}): ScrapeAppender {
  let cache = new Map<string, number>();
  let prev = new Set<number>();
  let cur = new Set<number>();
  const stale = (refs: Iterable<number>, t: number): number => {
    const keys: string[] = [];
    for (const r of refs) {
      const l = store.labelsOf(r);
      if (l) keys.push(labelsKey(l));
    }
    return store.markStale(keys, t);
  };
  return {
    add(sample, scrapeTime) {
      const key = sample.seriesText ?? labelsKey(sample.labels);
      try {
        let ref = cache.get(key);
        if (ref === undefined || store.labelsOf(ref) === undefined) {
          ref = store.ref(options.mapLabels ? options.mapLabels(sample.labels) : sample.labels);
          cache.set(key, ref);
        }
        store.appendRef(ref, sample.timestamp ?? scrapeTime, sample.value);
        if (sample.timestamp === undefined) cur.add(ref);
        return true;
      } catch (e) {
        if (!options.onReject) throw e;
        options.onReject(sample, e);
        return false;
      }
    },
    commit(scrapeTime) {
      const gone: number[] = [];
      for (const r of prev) if (!cur.has(r)) gone.push(r);
      const n = stale(gone, scrapeTime);
      prev = cur;
      cur = new Set();
      if (cache.size > prev.size * 2 + 1000) {
        // drop cache entries of series no longer scraped
        const next = new Map<string, number>();
        for (const [k, r] of cache) if (prev.has(r)) next.set(k, r);
        cache = next;
      }
      return n;
    },
    markAllStale(timestamp) {
      const n = stale(prev, timestamp);
      prev = new Set();
      cur = new Set();
      return n;
    },
    get lastScrapeSeries() {
      return prev.size;
    },
  };
}
