import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { compileMatcherRegex, type LabelMatcher, type MatchType } from '../model/matchers.js';
import { matchValue } from '../model/matchers.js';
import { promqlExprType, type PromqlAt, type PromqlExpr, type PromqlValueType, type VectorMatching } from './ast.js';
import { PromqlParseError } from './errors.js';
import { FUNCTIONS } from './functions-table.js';

const TYPE_NAMES: Record<PromqlValueType, string> = {
  scalar: 'scalar',
  vector: 'instant vector',
  matrix: 'range vector',
  string: 'string',
};

const BINARY_OPS: Record<string, string> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
  Atan2: 'atan2',
};

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);
const PARAM_AGGREGATIONS = new Set(['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio']);

/** True when `op` is one of PromQL's comparison operators. */
export function isComparisonOp(op: string): boolean {
  return COMPARISON.has(op);
}

/** True when `op` is `and`, `or` or `unless`. */
export function isSetOp(op: string): boolean {
  return SET_OPS.has(op);
}

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Parses a Prometheus duration (`1h30m`, `90s`) to ms; returns null when `text` is not one. */
export function parsePromDuration(text: string): number | null {
  if (text === '' || !/[a-z]/.test(text)) return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i]!;
  return ms;
}

class Parser {
  constructor(private readonly src: string) {}

  fail(pos: number, detail: string): never {
    throw new PromqlParseError(this.src, pos, detail);
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
    return out;
  }

  checkErrors(top: SyntaxNode): void {
    const cur = top.cursor();
    do {
      if (cur.type.isError) {
        const pos = cur.from;
        if (pos >= this.src.length || this.src.slice(pos).trim() === '') this.fail(pos, 'unexpected end of input');
        const rest = this.src.slice(pos).trimStart();
        const at = this.src.length - rest.length;
        const tok = /^([A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|\S)/.exec(rest)?.[0] ?? rest[0]!;
        this.fail(at, `unexpected ${JSON.stringify(tok)}`);
      }
    } while (cur.next());
  }

  expr(n: SyntaxNode): PromqlExpr {
    switch (n.name) {
      case 'PromQL': {
        const k = this.kids(n);
        if (k.length !== 1) this.fail(0, k.length === 0 ? 'no expression found in input' : 'unexpected input');
        return this.expr(k[0]!);
      }
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(n) };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(n) };
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(this.kids(n)[0]!) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector':
        return this.matrixSelector(n);
      case 'SubqueryExpr':
        return this.subquery(n);
      case 'OffsetExpr':
        return this.offset(n);
      case 'StepInvariantExpr':
        return this.at(n);
      case 'UnaryExpr':
        return this.unary(n);
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      default:
        return this.fail(n.from, `unsupported expression ${JSON.stringify(this.text(n))}`);
    }
  }

  number(n: SyntaxNode): number {
    let t = this.text(n);
    let sign = 1;
    if (t.startsWith('-') || t.startsWith('+')) {
      if (t[0] === '-') sign = -1;
      t = t.slice(1);
    }
    const d = parsePromDuration(t);
    if (d !== null) return (sign * d) / 1000;
    const lower = t.toLowerCase();
    if (lower === 'inf') return sign * Infinity;
    if (lower === 'nan') return NaN;
    const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : Number(t.replace(/_/g, ''));
    if (Number.isNaN(v)) this.fail(n.from, `bad number or duration syntax: ${JSON.stringify(t)}`);
    return sign * v;
  }

  string(n: SyntaxNode): string {
    const raw = this.text(n);
    if (raw.startsWith('`')) return raw.slice(1, -1);
    return unquoteGo(raw.slice(1, -1), raw[0]!, () => this.fail(n.from, `invalid syntax in string ${raw}`));
  }

  /** Duration expression to seconds (Prometheus 3 duration arithmetic). */
  durationSeconds(n: SyntaxNode): number {
    const k = this.kids(n);
    switch (n.name) {
      case 'NumberDurationLiteralInDurationContext':
      case 'NumberDurationLiteral':
        return this.number(n);
      case 'DurationExpr':
      case 'OffsetDurationExpr':
      case 'ParenExpr': {
        if (k.length === 1) return this.durationSeconds(k[0]!);
        if (k.length === 2 && k[0]!.name === 'UnaryOp') {
          const v = this.durationSeconds(k[1]!);
          return this.text(k[0]!) === '-' ? -v : v;
        }
        if (k.length === 3) {
          const a = this.durationSeconds(k[0]!);
          const b = this.durationSeconds(k[2]!);
          switch (k[1]!.name) {
            case 'Add':
              return a + b;
            case 'Sub':
              return a - b;
            case 'Mul':
              return a * b;
            case 'Div':
              if (b === 0) this.fail(k[2]!.from, 'division by zero');
              return a / b;
            case 'Mod':
              if (b === 0) this.fail(k[2]!.from, 'modulo by zero');
              return a % b;
            case 'Pow':
              return a ** b;
          }
        }
        break;
      }
    }
    return this.fail(n.from, `unsupported duration expression ${JSON.stringify(this.text(n))}`);
  }

  durationMs(n: SyntaxNode): number {
    return Math.round(this.durationSeconds(n) * 1000);
  }

  vectorSelector(n: SyntaxNode): PromqlExpr {
    let name: string | null = null;
    const matchers: LabelMatcher[] = [];
    for (const c of this.kids(n)) {
      if (c.name === 'Identifier' || c.name === 'MetricName') name = this.text(c);
      else if (c.name === 'LabelMatchers') {
        for (const m of this.kids(c)) {
          if (m.name === 'QuotedLabelName') {
            if (name !== null) this.fail(m.from, `metric name must not be set twice: ${JSON.stringify(name)}`);
            name = this.string(this.kids(m)[0]!);
            continue;
          }
          const mk = this.kids(m);
          const label = mk[0]!.name === 'QuotedLabelName' ? this.string(this.kids(mk[0]!)[0]!) : this.text(mk[0]!);
          const op = this.text(mk[1]!) as MatchType;
          const value = this.string(mk[2]!);
          if (op === '=~' || op === '!~') {
            try {
              compileMatcherRegex(value);
            } catch (err) {
              this.fail(mk[2]!.from, `invalid regular expression ${JSON.stringify(value)}: ${(err as Error).message}`);
            }
          }
          matchers.push({ type: op, name: label, value });
        }
      }
    }
    if (name !== null) {
      if (matchers.some((m) => m.name === '__name__')) this.fail(n.from, `metric name must not be set twice: ${JSON.stringify(name)}`);
      matchers.unshift({ type: '=', name: '__name__', value: name });
    }
    if (!matchers.some((m) => !matchValue(m, ''))) this.fail(n.from, 'vector selector must contain at least one non-empty matcher');
    return { kind: 'vectorSelector', name, matchers, offsetMs: 0, at: null };
  }

  matrixSelector(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const inner = this.expr(k[0]!);
    if (inner.kind !== 'vectorSelector') this.fail(k[0]!.from, 'ranges only allowed for vector selectors');
    if (inner.offsetMs !== 0 || inner.at !== null) this.fail(k[0]!.from, 'no offset or @ modifiers allowed before range');
    const rangeMs = this.durationMs(k[1]!);
    if (rangeMs <= 0) this.fail(k[1]!.from, `range must be greater than 0`);
    return { kind: 'matrixSelector', vector: inner, rangeMs };
  }

  subquery(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const inner = this.expr(k[0]!);
    const t = promqlExprType(inner);
    if (t !== 'vector') this.fail(n.from, `subquery is only allowed on instant vector, got ${TYPE_NAMES[t]} instead`);
    const durs = k.slice(1).filter((c) => c.name === 'DurationExpr');
    const rangeMs = this.durationMs(durs[0]!);
    const stepMs = durs[1] ? this.durationMs(durs[1]) : 0;
    if (rangeMs <= 0) this.fail(durs[0]!.from, 'range must be greater than 0');
    if (durs[1] && stepMs <= 0) this.fail(durs[1].from, 'step must be greater than 0');
    return { kind: 'subquery', expr: inner, rangeMs, stepMs, offsetMs: 0, at: null };
  }

  offset(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const inner = this.expr(k[0]!);
    const ms = this.durationMs(k[k.length - 1]!);
    return this.modify(inner, k[1]!.from, (e) => {
      if (e.offsetMs !== 0) this.fail(k[1]!.from, 'offset may not be set multiple times');
      return { ...e, offsetMs: ms };
    });
  }

  at(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const inner = this.expr(k[0]!);
    const v = k[k.length - 1]!;
    let at: PromqlAt;
    if (v.name === 'AtModifierPreprocessors') at = this.kids(v)[0]!.name === 'AtStart' ? 'start' : 'end';
    else {
      const sec = this.number(v);
      if (!Number.isFinite(sec)) this.fail(v.from, 'timestamp out of bounds for @ modifier');
      at = Math.round(sec * 1000);
    }
    return this.modify(inner, k[1]!.from, (e) => {
      if (e.at !== null) this.fail(k[1]!.from, '@ <timestamp> may not be set multiple times');
      return { ...e, at };
    });
  }

  modify(
    e: PromqlExpr,
    pos: number,
    f: <T extends { offsetMs: number; at: PromqlAt }>(x: T) => T,
  ): PromqlExpr {
    switch (e.kind) {
      case 'vectorSelector':
        return f(e);
      case 'matrixSelector':
        return { ...e, vector: f(e.vector) };
      case 'subquery':
        return f(e);
      // The grammar attaches a trailing modifier to the whole expression; Prometheus binds it to the
      // rightmost selector: `a - b offset 5m` offsets b, `-a offset 5m` offsets a.
      case 'binary':
        return { ...e, rhs: this.modify(e.rhs, pos, f) };
      case 'unary':
        return { ...e, expr: this.modify(e.expr, pos, f) };
      default:
        return this.fail(pos, 'offset and @ modifiers must be preceded by an instant vector selector or range vector selector or a subquery');
    }
  }

  unary(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const op = this.text(k[0]!) as '-' | '+';
    const inner = this.expr(k[1]!);
    const t = promqlExprType(inner);
    if (t !== 'scalar' && t !== 'vector') this.fail(n.from, `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(TYPE_NAMES[t])}`);
    if (inner.kind === 'number') return { kind: 'number', value: op === '-' ? -inner.value : inner.value };
    return { kind: 'unary', op, expr: inner };
  }

  call(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const func = this.text(k[0]!);
    const sig = FUNCTIONS[func];
    if (!sig) this.fail(k[0]!.from, `unknown function with name ${JSON.stringify(func)}`);
    const args = k[1] ? this.kids(k[1]).map((a) => this.expr(a)) : [];
    const min = sig.min ?? sig.args.length;
    if (args.length < min || (!sig.variadic && args.length > sig.args.length)) {
      const want = sig.variadic ? `at least ${min}` : min === sig.args.length ? `${min}` : `${min} to ${sig.args.length}`;
      this.fail(n.from, `expected ${want} argument(s) in call to ${JSON.stringify(func)}, got ${args.length}`);
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)]!;
      const got = promqlExprType(a);
      if (want !== got) this.fail(n.from, `expected type ${TYPE_NAMES[want]} in call to function ${JSON.stringify(func)}, got ${TYPE_NAMES[got]}`);
    });
    return { kind: 'call', func, args };
  }

  grouping(n: SyntaxNode): string[] {
    return this.kids(n).map((c) => (c.name === 'QuotedLabelName' ? this.string(this.kids(c)[0]!) : this.text(c)));
  }

  aggregate(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const op = this.text(k[0]!).toLowerCase();
    let grouping: string[] = [];
    let without = false;
    let body: SyntaxNode | null = null;
    for (const c of k.slice(1)) {
      if (c.name === 'AggregateModifier') {
        const mk = this.kids(c);
        without = mk[0]!.name === 'Without';
        grouping = mk[1] ? this.grouping(mk[1]) : [];
      } else if (c.name === 'FunctionCallBody') body = c;
    }
    const args = body ? this.kids(body).map((a) => this.expr(a)) : [];
    const want = PARAM_AGGREGATIONS.has(op) ? 2 : 1;
    if (args.length !== want) this.fail(n.from, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    const expr = args[want - 1]!;
    const param = want === 2 ? args[0]! : null;
    const et = promqlExprType(expr);
    if (et !== 'vector') this.fail(n.from, `expected type instant vector in aggregation expression, got ${TYPE_NAMES[et]}`);
    if (param) {
      const pt = promqlExprType(param);
      const wantT = op === 'count_values' ? 'string' : 'scalar';
      if (pt !== wantT) this.fail(n.from, `expected type ${TYPE_NAMES[wantT]} in aggregation parameter, got ${TYPE_NAMES[pt]}`);
    }
    return { kind: 'aggregate', op, expr, param, grouping, without };
  }

  binaryChecks(e: PromqlExpr, opNode: SyntaxNode): void {
    if (e.kind !== 'binary') return;
    const lt = promqlExprType(e.lhs);
    const rt = promqlExprType(e.rhs);
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector'))
      this.fail(opNode.from, 'binary expression must contain only scalar and instant vector types');
  }

  binary(n: SyntaxNode): PromqlExpr {
    const k = this.kids(n);
    const opNode = k[1]!;
    // The grammar lexes `-2` as one literal, but unary minus binds looser than `^`: -2^2 is -(2^2).
    if (opNode.name === 'Pow' && k[0]!.name === 'NumberDurationLiteral' && /^[-+]/.test(this.text(k[0]!))) {
      const sign = this.text(k[0]!)[0] as '-' | '+';
      const base: PromqlExpr = { kind: 'number', value: Math.abs(this.number(k[0]!)) };
      const pow: PromqlExpr = { kind: 'binary', op: '^', lhs: base, rhs: this.expr(k[k.length - 1]!), returnBool: false, matching: null };
      this.binaryChecks(pow, opNode);
      return { kind: 'unary', op: sign, expr: pow };
    }
    const lhs = this.expr(k[0]!);
    const rhs = this.expr(k[k.length - 1]!);
    const op = BINARY_OPS[opNode.name];
    if (!op) this.fail(opNode.from, `unsupported operator ${JSON.stringify(this.text(opNode))}`);
    let returnBool = false;
    let matching: VectorMatching | null = null;
    let explicitMatching = false;
    for (const c of k.slice(2, -1)) {
      if (c.name === 'BoolModifier') returnBool = true;
      else if (c.name === 'MatchingModifierClause') {
        explicitMatching = true;
        const mk = this.kids(c);
        const on = mk[0]!.name === 'On';
        let labels: string[] = [];
        let include: string[] = [];
        let card: VectorMatching['card'] = 'one-to-one';
        for (const x of mk.slice(1)) {
          if (x.name === 'GroupingLabels') {
            if (card === 'one-to-one') labels = this.grouping(x);
            else include = this.grouping(x);
          } else if (x.name === 'GroupLeft') card = 'many-to-one';
          else if (x.name === 'GroupRight') card = 'one-to-many';
          else this.fail(x.from, `unsupported modifier ${JSON.stringify(this.text(x))}`);
        }
        if (on) for (const l of include) if (labels.includes(l)) this.fail(x0(c), `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
        matching = { card, on, labels, include };
      } else this.fail(c.from, `unsupported modifier ${JSON.stringify(this.text(c))}`);
    }
    const lt = promqlExprType(lhs);
    const rt = promqlExprType(rhs);
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector'))
      this.fail(n.from, 'binary expression must contain only scalar and instant vector types');
    if (returnBool && !COMPARISON.has(op)) this.fail(opNode.from, 'bool modifier can only be used on comparison operators');
    if (COMPARISON.has(op) && !returnBool && lt === 'scalar' && rt === 'scalar')
      this.fail(opNode.from, 'comparisons between scalars must use BOOL modifier');
    if (SET_OPS.has(op)) {
      if (lt === 'scalar' || rt === 'scalar') this.fail(opNode.from, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
      if (matching && matching.card !== 'one-to-one') this.fail(opNode.from, `no grouping allowed for ${JSON.stringify(op)} operation`);
    }
    if (lt === 'vector' && rt === 'vector') {
      matching ??= { card: 'one-to-one', on: false, labels: [], include: [] };
      if (SET_OPS.has(op)) matching = { ...matching, card: 'many-to-many' };
    } else if (explicitMatching) {
      this.fail(opNode.from, 'vector matching only allowed between instant vectors');
    }
    return { kind: 'binary', op, lhs, rhs, returnBool, matching };
  }
}

function x0(n: SyntaxNode): number {
  return n.from;
}

function unquoteGo(s: string, quote: string, bad: () => never): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      if (ch === quote || ch === '\n') bad();
      out += ch;
      continue;
    }
    const e = s[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== quote) bad();
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) bad();
        const code = parseInt(hex, 16);
        if (e === 'x') out += String.fromCharCode(code);
        else out += String.fromCodePoint(code);
        i += len;
        break;
      }
      default: {
        if (e !== undefined && /[0-7]/.test(e)) {
          const oct = s.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) bad();
          out += String.fromCharCode(parseInt(oct, 8));
          i += 2;
          break;
        }
        bad();
      }
    }
  }
  return out;
}

/**
 * Parses a PromQL expression into the engine's typed AST, with Prometheus 3's grammar and type
 * rules. Throws `PromqlParseError` (code `VIGIL_ERR_PROMQL_PARSE`) naming line:column on bad input.
 *
 * @example
 * const expr = parsePromql('sum by (job) (rate(http_requests_total[5m]))');
 */
export function parsePromql(expr: string): PromqlExpr {
  const p = new Parser(expr);
  if (expr.trim() === '') p.fail(0, 'no expression found in input');
  const tree = parser.parse(expr);
  p.checkErrors(tree.topNode);
  return p.expr(tree.topNode);
}
