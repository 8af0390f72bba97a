import type { Labels } from './labels.js';
import type { LabelMatcher } from './matchers.js';

/**
 * One series' samples in a time window, sorted by timestamp (milliseconds since the epoch).
 * `values` may contain STALE_NAN markers; consumers apply staleness themselves.
 */
export interface SeriesSamples {
  readonly labels: Labels;
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/**
 * Read side of a series store, the contract between storage and PromQL evaluation. Windows are
 * closed, `[mint, maxt]` in milliseconds; the evaluator applies PromQL's left-open rules itself.
 */
export interface Queryable {
  /** Every series matching all matchers that has at least one sample in `[mint, maxt]`, with those samples. */
  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): SeriesSamples[];
  /**
   * Optional streaming form of `select`: calls `fn` once per series `select` would return, in the
   * same order. The arrays handed to `fn` are only valid during that call (the store reuses them),
   * so a query holds one series' samples at a time instead of all of them.
   */
  selectEach?(matchers: readonly LabelMatcher[], mint: number, maxt: number, fn: (s: SeriesSamples) => void): void;
  /** Sorted label names of the series matching `matchers` (all series when empty). */
  labelNames(matchers?: readonly LabelMatcher[], mint?: number, maxt?: number): string[];
  /** Sorted distinct values of `name` among the series matching `matchers`. */
  labelValues(name: string, matchers?: readonly LabelMatcher[], mint?: number, maxt?: number): string[];
}

/** Write side of a series store: appends one sample; timestamps per series must not go backwards. */
export interface Appendable {
  append(labels: Labels, timestamp: number, value: number): void;
}
