import type { Labels } from './labels.js';

/** One element of an instant vector: a series' labels and its value at `timestamp` (ms). */
export interface VectorSample {
  readonly labels: Labels;
  readonly value: number;
  readonly timestamp: number;
}

/** One point of a range-vector or range-query series. */
export interface Point {
  readonly t: number;
  readonly v: number;
}

/** One series of a matrix. */
export interface MatrixSeries {
  readonly labels: Labels;
  readonly points: Point[];
}

/** Result of evaluating a PromQL expression, typed as Prometheus's HTTP API types it. */
export type QueryValue =
  | { readonly type: 'vector'; readonly samples: VectorSample[] }
  | { readonly type: 'matrix'; readonly series: MatrixSeries[] }
  | { readonly type: 'scalar'; readonly value: number; readonly timestamp: number }
  | { readonly type: 'string'; readonly value: string; readonly timestamp: number };
