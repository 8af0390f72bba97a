import { Histogram } from 'prom-client';

/**
 * Pending observations of one histogram series, accumulated in plain numbers on the request path and added to the
 * prom-client histogram when it is collected. prom-client's own `observe()` validates and hashes the label set on
 * every call; here a request costs a bucket search and three additions.
 */

/** A label set as prom-client stores it. */
export type CellLabels = Readonly<Record<string, string>>;

/** prom-client 15's per-series histogram state (its `hashMap` values), which a fold adds to. */
interface HistogramEntry {
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
  bucketExemplars?: Record<string, { timestamp?: number } | null>;
}

interface HistogramInternals {
  hashMap: Record<string, HistogramEntry | undefined>;
  upperBounds: readonly number[];
  zero(labels: CellLabels): void;
  updateExemplar(labels: CellLabels, value: number, exemplarLabels: Record<string, string>): void;
}

interface PendingExemplar {
  value: number;
  traceId: string;
  spanId: string;
  timestamp: number;
  pending: boolean;
}

/** prom-client's series key of a label set: `name:value,` per label, in sorted label-name order. */
export function promSeriesKey(sortedLabelNames: readonly string[], labels: CellLabels): string {
  let key = '';
  for (const name of sortedLabelNames) key += `${name}:${labels[name]},`;
  return key;
}

/**
 * True when the installed prom-client keeps histogram state the way {@link HistogramCell} folds into (prom-client
 * 15); otherwise callers observe through prom-client directly.
 */
export function canFoldHistograms(): boolean {
  try {
    const probe = new Histogram({ name: 'vigil_fold_probe', help: 'probe', labelNames: ['a', 'b'], buckets: [1, 2], registers: [] });
    const h = probe as unknown as HistogramInternals;
    const labels = { b: 'y', a: 'x' };
    h.zero(labels);
    const entry = h.hashMap?.[promSeriesKey(['a', 'b'], labels)];
    if (!entry || typeof entry.sum !== 'number' || typeof entry.count !== 'number' || entry.bucketValues?.['2'] !== 0) return false;
    return typeof h.updateExemplar === 'function' && Array.isArray(h.upperBounds);
  } catch {
    return false;
  }
}

/** Pending observations of one series of one histogram; see {@link HistogramCell.fold}. */
export class HistogramCell {
  /** Observations since the last fold. */
  count = 0;
  sum = 0;
  private readonly bounds: readonly number[];
  // Pending count per bucket (not cumulative); the last slot is for values above every bound (+Inf only).
  private readonly buckets: Float64Array;
  private exemplars: PendingExemplar[] | undefined;
  private readonly key: string;

  constructor(
    readonly histogram: Histogram<string>,
    readonly labels: CellLabels,
    sortedLabelNames: readonly string[],
  ) {
    this.bounds = (histogram as unknown as HistogramInternals).upperBounds;
    this.buckets = new Float64Array(this.bounds.length + 1);
    this.key = promSeriesKey(sortedLabelNames, labels);
  }

  /** Adds one observation (a finite number; anything else throws `TypeError`, as prom-client's `observe()` does). */
  observe(value: number): number {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.buckets[i]!++;
    this.count++;
    this.sum += value;
    return i;
  }

  /** Makes `(traceId, spanId)` the exemplar of bucket `bucket` (as returned by `observe`) with `value` observed now. */
  exemplar(bucket: number, value: number, traceId: string, spanId: string): void {
    this.exemplars ??= [];
    let slot = this.exemplars[bucket];
    if (!slot) {
      slot = { value, traceId, spanId, timestamp: 0, pending: true };
      this.exemplars[bucket] = slot;
    }
    slot.value = value;
    slot.traceId = traceId;
    slot.spanId = spanId;
    slot.timestamp = Date.now() / 1000;
    slot.pending = true;
  }

  /**
   * Adds the pending observations (and the newest exemplar per bucket) to the prom-client histogram and clears them.
   * A series the histogram lost (a `reset()`) is recreated first.
   */
  fold(): void {
    const exemplars = this.exemplars;
    if (this.count === 0 && !exemplars) return;
    const h = this.histogram as unknown as HistogramInternals;
    let entry = h.hashMap[this.key];
    if (!entry) {
      h.zero(this.labels);
      entry = h.hashMap[this.key]!;
    }
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      const n = this.buckets[i]!;
      if (n !== 0) {
        entry.bucketValues[bounds[i]!]! += n;
        this.buckets[i] = 0;
      }
    }
    this.buckets[bounds.length] = 0;
    entry.count += this.count;
    entry.sum += this.sum;
    this.count = 0;
    this.sum = 0;
    if (!exemplars) return;
    for (let i = 0; i < exemplars.length; i++) {
      const ex = exemplars[i];
      if (!ex?.pending) continue;
      ex.pending = false;
      h.updateExemplar(this.labels, ex.value, { trace_id: ex.traceId, span_id: ex.spanId });
      // prom-client stamps the fold time; the exemplar keeps the time it was observed.
      const stored = entry.bucketExemplars?.[i < bounds.length ? bounds[i]! : -1];
      if (stored) stored.timestamp = ex.timestamp;
    }
  }
}
