/**
 * Parser for Go text/template: turns lexed tokens into named trees (`{{define}}` and `{{block}}`
 * add more), checking variables and function names at parse time as Go does.
 */
import type { Arg, Command, ListNode, Pipe, Tree, VariableArg } from './ast.js';
import { LexError, lexTemplate, type Token } from './lex.js';

/** A parse failure, already formatted like Go: `template: NAME:LINE: message`. */
export class TemplateSyntaxError extends Error {}

/** Go's builtin function names, always defined. */
export const BUILTIN_NAMES = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'html',
  'js',
  'urlquery',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'call',
]);

/** Unquotes a Go interpreted string literal body (escapes `\n`, `\x41`, `\u00e9`, ...). */
export function unquoteGo(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case "'":
        out += "'";
        break;
      case 'x':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u':
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case 'U':
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else {
          throw new Error(`invalid syntax`);
        }
    }
  }
  return out;
}

function parseNumber(text: string): number | bigint {
  const t = text.replace(/_/g, '');
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  if (/^0[xX]/.test(body) && !/[pP]/.test(body)) {
    const v = BigInt(body);
    return neg ? -v : v;
  }
  if (/^0[bBoO]/.test(body)) {
    const v = BigInt(body.toLowerCase());
    return neg ? -v : v;
  }
  if (/[.eEpP]/.test(body)) {
    const f = Number(body);
    if (Number.isNaN(f)) throw new Error(`illegal number syntax: "${text}"`);
    return neg ? -f : f;
  }
  if (/^0[0-7]+$/.test(body)) {
    const v = BigInt('0o' + body.slice(1));
    return neg ? -v : v;
  }
  if (!/^[0-9]+$/.test(body)) throw new Error(`illegal number syntax: "${text}"`);
  const v = BigInt(body);
  if (v > 9223372036854775807n) throw new Error(`integer overflow: "${text}"`);
  return neg ? -v : v;
}

class Parser {
  private toks: Token[];
  private i = 0;
  private vars: string[] = ['$'];
  readonly trees = new Map<string, Tree>();

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly isFunc: (name: string) => boolean,
  ) {
    try {
      this.toks = lexTemplate(text);
    } catch (e) {
      if (e instanceof LexError) this.fail(e.message, e.line);
      throw e;
    }
  }

  fail(msg: string, line?: number): never {
    const l = line ?? this.peek().line;
    throw new TemplateSyntaxError(`template: ${this.name}:${l}: ${msg}`);
  }

  peek(): Token {
    return this.toks[this.i]!;
  }
  next(): Token {
    return this.toks[this.i++]!;
  }
  peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.i++;
    return this.peek();
  }
  nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  parseAll(): ListNode[] {
    const root: ListNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'leftDelim') {
        const save = this.i;
        this.next();
        const k = this.peekNonSpace();
        if (k.kind === 'keyword' && k.text === 'define') {
          this.next();
          this.parseDefine();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.kind === 'end' || n.kind === 'else')
        this.fail(`unexpected ${n.kind === 'end' ? '{{end}}' : '{{else}}'}`, n.line);
      root.push(n.node!);
    }
    return root;
  }

  parseDefine(): void {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString')
      this.fail('define: expected name', nameTok.line);
    const name = this.stringValue(nameTok);
    if (this.nextNonSpace().kind !== 'rightDelim') this.fail('unexpected token in define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const { list, end } = this.itemList();
    if (end !== 'end') this.fail('unexpected {{else}} in define clause');
    this.vars = saved;
    this.addTree(name, list);
  }

  addTree(name: string, root: ListNode[]): void {
    const existing = this.trees.get(name);
    if (existing && isEmpty(root)) return;
    this.trees.set(name, { name, parseName: this.name, text: this.text, root });
  }

  stringValue(t: Token): string {
    if (t.kind === 'rawString') return t.text.slice(1, -1);
    try {
      return unquoteGo(t.text.slice(1, -1));
    } catch {
      this.fail(`invalid syntax: ${t.text}`, t.line);
    }
  }

  /** Parses list items until {{end}} or {{else}}; returns which one ended it. */
  itemList(): { list: ListNode[]; end: 'end' | 'else'; elseTok?: Token } {
    const list: ListNode[] = [];
    for (;;) {
      if (this.peek().kind === 'eof') this.fail('unexpected EOF');
      const r = this.textOrAction();
      if (r.kind === 'end') return { list, end: 'end' };
      if (r.kind === 'else') return { list, end: 'else' };
      list.push(r.node!);
    }
  }

  textOrAction(): { kind: 'node' | 'end' | 'else'; node?: ListNode; line: number } {
    const t = this.next();
    if (t.kind === 'text')
      return { kind: 'node', node: { type: 'text', pos: t.pos, text: t.text }, line: t.line };
    if (t.kind !== 'leftDelim') this.fail(`unexpected ${t.text}`, t.line);
    const k = this.peekNonSpace();
    if (k.kind === 'keyword') {
      this.next();
      switch (k.text) {
        case 'end':
          this.expectRight('end');
          return { kind: 'end', line: k.line };
        case 'else':
          return { kind: 'else', line: k.line };
        case 'if':
        case 'with':
        case 'range':
          return { kind: 'node', node: this.control(k), line: k.line };
        case 'template':
          return { kind: 'node', node: this.templateControl(k), line: k.line };
        case 'block':
          return { kind: 'node', node: this.blockControl(k), line: k.line };
        case 'break':
        case 'continue':
          this.expectRight(k.text);
          return { kind: 'node', node: { type: k.text, pos: k.pos, line: k.line }, line: k.line };
        case 'define':
          this.fail('unexpected <define> in command', k.line);
      }
    }
    const pipe = this.pipeline('command', true);
    return { kind: 'node', node: { type: 'action', pos: t.pos, line: t.line, pipe }, line: t.line };
  }

  expectRight(ctx: string): void {
    const t = this.nextNonSpace();
    if (t.kind !== 'rightDelim') this.fail(`unexpected ${describe(t)} in ${ctx}`, t.line);
  }

  control(k: Token): ListNode {
    const type = k.text as 'if' | 'with' | 'range';
    const mark = this.vars.length;
    const pipe = this.pipeline(type, true, type === 'range');
    if (pipe.cmds.length === 0) this.fail(`missing value for ${type}`, k.line);
    const { list, end } = this.itemList();
    let elseList: ListNode[] | null = null;
    if (end === 'else') {
      const nxt = this.peekNonSpace();
      if (
        (type === 'if' && nxt.kind === 'keyword' && nxt.text === 'if') ||
        (type === 'with' && nxt.kind === 'keyword' && nxt.text === 'with')
      ) {
        // {{else if ...}} / {{else with ...}}: a nested control that consumes the shared {{end}}
        this.next();
        elseList = [this.control(nxt)];
      } else {
        this.expectRight(type);
        const r = this.itemList();
        if (r.end !== 'end') this.fail(`expected end; found {{else}}`);
        elseList = r.list;
      }
    }
    this.vars.length = mark;
    return { type, pos: k.pos, line: k.line, pipe, list, elseList };
  }

  templateControl(k: Token): ListNode {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString')
      this.fail(`unexpected ${describe(nameTok)} in template clause`, nameTok.line);
    const name = this.stringValue(nameTok);
    let pipe: Pipe | null = null;
    if (this.peekNonSpace().kind !== 'rightDelim') pipe = this.pipeline('template', true);
    else this.next();
    return { type: 'template', pos: nameTok.pos, line: k.line, name, pipe };
  }

  blockControl(k: Token): ListNode {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString')
      this.fail(`unexpected ${describe(nameTok)} in block clause`, nameTok.line);
    const name = this.stringValue(nameTok);
    let pipe: Pipe | null = null;
    if (this.peekNonSpace().kind !== 'rightDelim') pipe = this.pipeline('block', true);
    else this.next();
    const saved = this.vars;
    this.vars = ['$'];
    const { list, end } = this.itemList();
    if (end !== 'end') this.fail('unexpected {{else}} in block clause');
    this.vars = saved;
    this.addTree(name, list);
    return { type: 'template', pos: nameTok.pos, line: k.line, name, pipe };
  }

  /** Parses a pipeline up to `}}` (or `)` when not top-level). */
  pipeline(ctx: string, topLevel: boolean, allowTwoDecl = false): Pipe {
    const start = this.peekNonSpace();
    const pipe: Pipe = { pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    // declarations
    if (start.kind === 'variable') {
      const save = this.i;
      const v = this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.next();
        pipe.isAssign = after.kind === 'assign';
        pipe.decl.push({ type: 'variable', pos: v.pos, idents: [v.text] });
        if (after.kind === 'declare') this.vars.push(v.text);
        else if (!this.vars.includes(v.text)) this.fail(`undefined variable "${v.text}"`, v.line);
      } else if (after.kind === 'comma' && allowTwoDecl) {
        this.next();
        const v2 = this.nextNonSpace();
        if (v2.kind !== 'variable') this.fail(`range can only initialize variables`, v2.line);
        const op = this.nextNonSpace();
        if (op.kind !== 'declare' && op.kind !== 'assign')
          this.fail(`expected := or = in range`, op.line);
        pipe.isAssign = op.kind === 'assign';
        pipe.decl.push(
          { type: 'variable', pos: v.pos, idents: [v.text] },
          { type: 'variable', pos: v2.pos, idents: [v2.text] },
        );
        if (op.kind === 'declare') this.vars.push(v.text, v2.text);
      } else {
        this.i = save;
      }
    }
    for (;;) {
      const t = this.peekNonSpace();
      if (topLevel && t.kind === 'rightDelim') {
        this.next();
        break;
      }
      if (!topLevel && t.kind === 'rightParen') {
        break;
      }
      if (t.kind === 'eof' || t.kind === 'rightDelim' || t.kind === 'rightParen') {
        this.fail(`unexpected ${describe(t)} in ${ctx}`, t.line);
      }
      pipe.cmds.push(this.command(ctx));
    }
    if (pipe.cmds.length === 0 && (ctx === 'command' || ctx === 'parenthesized pipeline'))
      this.fail(`missing value for ${ctx}`);
    return pipe;
  }

  command(ctx: string): Command {
    const first = this.peekNonSpace();
    const cmd: Command = { pos: first.pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.peek();
      if (t.kind === 'space') {
        this.peekNonSpace();
        const n = this.peek();
        if (n.kind === 'rightDelim' || n.kind === 'rightParen') break;
        if (n.kind === 'pipe') {
          this.next();
          break;
        }
        continue;
      }
      if (t.kind === 'rightDelim' || t.kind === 'rightParen') break;
      if (t.kind === 'pipe') {
        this.next();
        break;
      }
      if (!op) this.fail(`unexpected ${describe(t)} in operand`, t.line);
      this.fail(`unexpected ${describe(t)} in operand`, t.line);
    }
    if (cmd.args.length === 0) this.fail(`empty command`);
    void ctx;
    return cmd;
  }

  operand(): Arg | null {
    const term = this.term();
    if (!term) return null;
    if (this.peek().kind === 'field') {
      // Go positions a chained field/variable node at its second token
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().kind === 'field') fields.push(this.next().text.slice(1));
      if (term.type === 'field')
        return { type: 'field', pos: chainPos, idents: [...term.idents, ...fields] };
      if (term.type === 'variable')
        return { type: 'variable', pos: chainPos, idents: [...term.idents, ...fields] };
      if (
        term.type === 'bool' ||
        term.type === 'string' ||
        term.type === 'number' ||
        term.type === 'nil' ||
        term.type === 'dot'
      ) {
        this.fail(`unexpected . after term ${JSON.stringify(argStringShort(term))}`);
      }
      return { type: 'chain', pos: chainPos, node: term, fields };
    }
    return term;
  }

  term(): Arg | null {
    const t = this.peekNonSpace();
    switch (t.kind) {
      case 'identifier':
        this.next();
        if (!this.isFunc(t.text)) this.fail(`function "${t.text}" not defined`, t.line);
        return { type: 'identifier', pos: t.pos, name: t.text };
      case 'dot':
        this.next();
        return { type: 'dot', pos: t.pos, text: '.', value: undefined };
      case 'nil':
        this.next();
        return { type: 'nil', pos: t.pos, text: 'nil', value: null };
      case 'variable': {
        this.next();
        if (!this.vars.includes(t.text)) this.fail(`undefined variable "${t.text}"`, t.line);
        return { type: 'variable', pos: t.pos, idents: [t.text] };
      }
      case 'field':
        this.next();
        return { type: 'field', pos: t.pos, idents: [t.text.slice(1)] };
      case 'bool':
        this.next();
        return { type: 'bool', pos: t.pos, text: t.text, value: t.text === 'true' };
      case 'number':
        this.next();
        try {
          return { type: 'number', pos: t.pos, text: t.text, value: parseNumber(t.text) };
        } catch (e) {
          this.fail((e as Error).message, t.line);
        }
      // eslint-disable-next-line no-fallthrough
      case 'char': {
        this.next();
        let s: string;
        try {
          s = unquoteGo(t.text.slice(1, -1));
        } catch {
          this.fail(`malformed character constant: ${t.text}`, t.line);
        }
        return { type: 'number', pos: t.pos, text: t.text, value: BigInt(s.codePointAt(0) ?? 0) };
      }
      case 'string':
      case 'rawString':
        this.next();
        return { type: 'string', pos: t.pos, text: t.text, value: this.stringValue(t) };
      case 'leftParen': {
        this.next();
        const pipe = this.pipeline('parenthesized pipeline', false);
        const close = this.nextNonSpace();
        if (close.kind !== 'rightParen') this.fail(`unclosed left paren`, close.line);
        return { type: 'pipe', pos: t.pos, pipe };
      }
      default:
        return null;
    }
  }
}

function argStringShort(a: Arg): string {
  return 'text' in a ? a.text : a.type;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'EOF';
    case 'rightDelim':
      return '"}}"';
    case 'rightParen':
      return '")"';
    case 'keyword':
      return `<${t.text}>`;
    case 'space':
      return 'space';
    default:
      return `<${t.text}>`;
  }
}

function isEmpty(list: ListNode[]): boolean {
  return list.every((n) => n.type === 'text' && n.text.trim() === '');
}

/**
 * Parses `text` as template `name`; returns every tree it defines (the main one under `name`,
 * plus each `{{define}}`/`{{block}}`). Throws `TemplateSyntaxError` with Go's message.
 */
export function parseTrees(
  name: string,
  text: string,
  isFunc: (name: string) => boolean,
): Map<string, Tree> {
  const p = new Parser(name, text, isFunc);
  const root = p.parseAll();
  const trees = p.trees;
  const main: Tree = { name, parseName: name, text, root };
  if (!trees.has(name) || !isEmpty(root)) trees.set(name, main);
  return trees;
}

export type { VariableArg };
