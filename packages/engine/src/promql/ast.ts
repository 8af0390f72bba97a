import type { LabelMatcher } from '../model/matchers.js';
import { FUNCTIONS } from './functions-table.js';

/** Value types of PromQL expressions, as Prometheus names them in errors. */
export type PromqlValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** `@` modifier: a fixed timestamp in ms, or the query's start/end. */
export type PromqlAt = number | 'start' | 'end' | null;

/** A number literal (durations become seconds). */
export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
}

/** A string literal, already unescaped. */
export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
}

/** An instant vector selector such as `foo{job="api"} offset 5m @ 100`. */
export interface VectorSelector {
  readonly kind: 'vectorSelector';
  readonly name: string | null;
  readonly matchers: readonly LabelMatcher[];
  readonly offsetMs: number;
  readonly at: PromqlAt;
}

/** A range vector selector such as `foo[5m]`; offset and `@` live on `vector`. */
export interface MatrixSelector {
  readonly kind: 'matrixSelector';
  readonly vector: VectorSelector;
  readonly rangeMs: number;
}

/** A subquery `expr[range:step]`; `stepMs` 0 means the default evaluation interval. */
export interface SubqueryExpr {
  readonly kind: 'subquery';
  readonly expr: PromqlExpr;
  readonly rangeMs: number;
  readonly stepMs: number;
  readonly offsetMs: number;
  readonly at: PromqlAt;
}

/** A function call. */
export interface CallExpr {
  readonly kind: 'call';
  readonly func: string;
  readonly args: readonly PromqlExpr[];
}

/** An aggregation such as `sum by (job) (x)` or `topk(3, x)`. */
export interface AggregateExpr {
  readonly kind: 'aggregate';
  readonly op: string;
  readonly expr: PromqlExpr;
  readonly param: PromqlExpr | null;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

/** Vector matching of a binary operation. */
export interface VectorMatching {
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly include: readonly string[];
}

/** A binary operation; `matching` is null when either side is a scalar. */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: string;
  readonly lhs: PromqlExpr;
  readonly rhs: PromqlExpr;
  readonly returnBool: boolean;
  readonly matching: VectorMatching | null;
}

/** Unary `-` or `+`. */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: PromqlExpr;
}

/** A parenthesised expression. */
export interface ParenExpr {
  readonly kind: 'paren';
  readonly expr: PromqlExpr;
}

/** A parsed PromQL expression: the typed AST that `parsePromql` returns and the engine evaluates. */
export type PromqlExpr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | CallExpr
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

/** The value type an expression evaluates to. */
export function promqlExprType(e: PromqlExpr): PromqlValueType {
  switch (e.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
    case 'aggregate':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return FUNCTIONS[e.func]?.returns ?? 'vector';
    case 'binary':
      return promqlExprType(e.lhs) === 'scalar' && promqlExprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return promqlExprType(e.expr);
  }
}

/**
 * Calls `visit` on `expr` and every sub-expression, depth first, parents before children.
 * Handy to list the selectors a rule reads.
 */
export function walkPromql(expr: PromqlExpr, visit: (e: PromqlExpr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'matrixSelector':
      walkPromql(expr.vector, visit);
      break;
    case 'subquery':
    case 'unary':
    case 'paren':
      walkPromql(expr.expr, visit);
      break;
    case 'call':
      for (const a of expr.args) walkPromql(a, visit);
      break;
    case 'aggregate':
      if (expr.param) walkPromql(expr.param, visit);
      walkPromql(expr.expr, visit);
      break;
    case 'binary':
      walkPromql(expr.lhs, visit);
      walkPromql(expr.rhs, visit);
      break;
    default:
      break;
  }
}

/** Every vector selector in `expr` (including those inside range selectors), in source order. */
export function promqlSelectors(expr: PromqlExpr): VectorSelector[] {
  const out: VectorSelector[] = [];
  walkPromql(expr, (e) => {
    if (e.kind === 'vectorSelector') out.push(e);
  });
  return out;
}
