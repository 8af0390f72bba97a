/** Value types of PromQL expressions (mirrors ast.ts, kept here to avoid an import cycle). */
type PromqlValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Signature of a PromQL function: argument types, how many trailing args are optional, variadic. */
export interface FunctionSignature {
  readonly args: readonly PromqlValueType[];
  /** Minimum number of arguments (defaults to args.length). */
  readonly min?: number;
  /** The last argument type repeats without bound. */
  readonly variadic?: boolean;
  readonly returns: PromqlValueType;
}

const v = 'vector' as const;
const m = 'matrix' as const;
const s = 'scalar' as const;
const str = 'string' as const;

const simple = (): FunctionSignature => ({ args: [v], returns: v });
const overTime = (): FunctionSignature => ({ args: [m], returns: v });
const dateFn = (): FunctionSignature => ({ args: [v], min: 0, returns: v });

/** The float functions of Prometheus 3 that this engine evaluates. */
export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: simple(),
  absent: { args: [v], returns: v },
  absent_over_time: overTime(),
  acos: simple(),
  acosh: simple(),
  asin: simple(),
  asinh: simple(),
  atan: simple(),
  atanh: simple(),
  avg_over_time: overTime(),
  ceil: simple(),
  changes: overTime(),
  clamp: { args: [v, s, s], returns: v },
  clamp_max: { args: [v, s], returns: v },
  clamp_min: { args: [v, s], returns: v },
  cos: simple(),
  cosh: simple(),
  count_over_time: overTime(),
  days_in_month: dateFn(),
  day_of_month: dateFn(),
  day_of_week: dateFn(),
  day_of_year: dateFn(),
  deg: simple(),
  delta: overTime(),
  deriv: overTime(),
  double_exponential_smoothing: { args: [m, s, s], returns: v },
  exp: simple(),
  first_over_time: overTime(),
  floor: simple(),
  histogram_quantile: { args: [s, v], returns: v },
  hour: dateFn(),
  idelta: overTime(),
  increase: overTime(),
  irate: overTime(),
  label_join: { args: [v, str, str, str], min: 3, variadic: true, returns: v },
  label_replace: { args: [v, str, str, str, str], returns: v },
  last_over_time: overTime(),
  ln: simple(),
  log10: simple(),
  log2: simple(),
  mad_over_time: overTime(),
  max_over_time: overTime(),
  min_over_time: overTime(),
  minute: dateFn(),
  month: dateFn(),
  pi: { args: [], returns: s },
  predict_linear: { args: [m, s], returns: v },
  present_over_time: overTime(),
  quantile_over_time: { args: [s, m], returns: v },
  rad: simple(),
  rate: overTime(),
  resets: overTime(),
  round: { args: [v, s], min: 1, returns: v },
  scalar: { args: [v], returns: s },
  sgn: simple(),
  sin: simple(),
  sinh: simple(),
  sort: simple(),
  sort_by_label: { args: [v, str], min: 1, variadic: true, returns: v },
  sort_by_label_desc: { args: [v, str], min: 1, variadic: true, returns: v },
  sort_desc: simple(),
  sqrt: simple(),
  stddev_over_time: overTime(),
  stdvar_over_time: overTime(),
  sum_over_time: overTime(),
  tan: simple(),
  tanh: simple(),
  time: { args: [], returns: s },
  timestamp: simple(),
  ts_of_first_over_time: overTime(),
  ts_of_last_over_time: overTime(),
  ts_of_max_over_time: overTime(),
  ts_of_min_over_time: overTime(),
  vector: { args: [s], returns: v },
  year: dateFn(),
};
