import type { Labels } from '../model/labels.js';

/** Exposition formats the parser understands. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Metric family types of text 0.0.4 and OpenMetrics 1.0 (`untyped` is text's name for `unknown`). */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped'
  | 'unknown';

/** An OpenMetrics exemplar attached to a sample: its labels, value and optional timestamp (ms). */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timestamp?: number;
}

/**
 * One parsed sample: `labels` includes `__name__`; `timestamp` (ms since the epoch) is present only
 * when the exposition carried one; `family` and `type` name the metric family it belongs to.
 */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Labels;
  /**
   * The sample's series exactly as written (metric name and label block): equal texts mean equal
   * label sets, so a scrape loop can cache series refs by it (see `createScrapeAppender`).
   */
  readonly seriesText: string;
  readonly value: number;
  readonly timestamp?: number;
  readonly exemplar?: Exemplar;
  readonly family: string;
  readonly type: MetricType;
}

/** HELP/TYPE/UNIT metadata of one metric family (fields absent when the exposition omitted them). */
export interface MetricMetadata {
  readonly family: string;
  readonly type?: MetricType;
  readonly help?: string;
  readonly unit?: string;
}

/** Size limits that bound the parser's memory use against hostile targets; 0 disables a limit. */
export interface ExpositionLimits {
  /** Maximum samples per body (default 0 = unlimited; the scrape config's `sample_limit`). */
  readonly maxSamples?: number;
  /** Maximum labels per sample, including `__name__` (default 64). */
  readonly maxLabels?: number;
  /** Maximum label name length in characters (default 1024). */
  readonly maxLabelNameLength?: number;
  /** Maximum label value length in characters (default 16384). */
  readonly maxLabelValueLength?: number;
  /** Maximum line length in characters (default 65536). */
  readonly maxLineLength?: number;
}

/** Options of `createExpositionParser` / `parseExposition`. */
export interface ExpositionParserOptions {
  /** Format of the body; default `text`. Use `detectExpositionFormat(contentType)` on a scrape response. */
  readonly format?: ExpositionFormat;
  /** Size limits (see `ExpositionLimits` for defaults). */
  readonly limits?: ExpositionLimits;
  /** Keep OpenMetrics `_created` samples as series (default false: dropped, as Prometheus does). */
  readonly keepCreated?: boolean;
}
