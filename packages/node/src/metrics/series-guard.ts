/** Minimal logger for cardinality warnings (pino-compatible). */
export interface WarnLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Admits label sets of one metric until its cap, after which new sets go to the overflow series. */
export interface SeriesGuard {
  /** True when the label set (as a key) is known or fits under the cap; false means "use the overflow series". */
  admit(key: string): boolean;
  /** Number of admitted label sets. */
  readonly size: number;
}

/**
 * Creates a per-metric series cap: the first `max` distinct label sets are admitted; later new ones are refused (the
 * caller records them on an overflow series) and one warning is logged the first time the cap is hit.
 */
export function createSeriesGuard(metric: string, max: number, logger?: WarnLogger): SeriesGuard {
  const seen = new Set<string>();
  let warned = false;
  return {
    admit(key) {
      if (seen.has(key)) return true;
      if (seen.size < max) {
        seen.add(key);
        return true;
      }
      if (!warned) {
        warned = true;
        logger?.warn({ metric, max_series: max }, `metric ${metric} reached its series cap; new label sets are recorded on the overflow series`);
      }
      return false;
    },
    get size() {
      return seen.size;
    },
  };
}
