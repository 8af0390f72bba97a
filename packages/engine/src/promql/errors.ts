import { VigilError } from '../errors.js';

/**
 * Error thrown by `parsePromql` for invalid PromQL: the message reads like Prometheus's
 * (`1:5: parse error: unexpected ...`) and `position` is the 0-based character offset.
 */
export class PromqlParseError extends VigilError {
  /** 0-based offset of the error in the expression. */
  readonly position: number;
  /** 1-based line and column of the error. */
  readonly line: number;
  readonly column: number;

  constructor(expr: string, position: number, detail: string) {
    const before = expr.slice(0, position).split('\n');
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    super('VIGIL_ERR_PROMQL_PARSE', `${line}:${column}: parse error: ${detail}`);
    this.position = position;
    this.line = line;
    this.column = column;
  }
}

/** Error thrown while evaluating a query (duplicate label sets, too many samples, timeout). */
export class PromqlEvalError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_PROMQL_EVAL', message, options);
  }
}
