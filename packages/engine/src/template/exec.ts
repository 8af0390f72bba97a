/**
 * Executor for parsed Go text/template trees: walks the tree with a data value, a function map and
 * Go's semantics (truthiness, variables and scopes, field chains, methods, builtins, `<no value>`),
 * and renders errors exactly as Go's `template: NAME:LINE:COL: executing ...` messages.
 */
import { argString, commandString, listNodeString, pipeString } from './ast.js';
import type { Arg, Command, ControlNode, ListNode, Pipe, TemplateCallNode, Tree } from './ast.js';
import { callBuiltin, isTrue, type TemplateFunc } from './builtins.js';
import { formatValue, goTypeName } from './go-format.js';

const NO_FINAL = Symbol('noFinal');
type Final = unknown;

class BreakSignal {}
class ContinueSignal {}

/** Thrown by a template function to report an argument of the wrong type without "error calling". */
export class TemplateArgTypeError extends Error {}

/** An execution failure already formatted as Go's message. */
export class ExecFailure extends Error {}

/** What to do with a missing map key: Go's `missingkey=` option. */
export type MissingKeyMode = 'default' | 'invalid' | 'zero' | 'error';

/** The shared parts of one execution. */
export interface ExecContext {
  trees: Map<string, Tree>;
  funcs: Record<string, TemplateFunc>;
  missingKey: MissingKeyMode;
}

interface Variable {
  name: string;
  value: unknown;
}

const MAX_DEPTH = 10000;

function errorLocation(tree: Tree, pos: number): string {
  const before = tree.text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const col = nl < 0 ? Buffer.byteLength(before) : Buffer.byteLength(before.slice(nl + 1));
  return `${tree.parseName}:${line}:${col}`;
}

class State {
  out: string[] = [];
  vars: Variable[];
  nodePos = -1;
  nodeStr = '';
  constructor(
    readonly ctx: ExecContext,
    readonly tree: Tree,
    readonly depth: number,
    root: unknown,
  ) {
    this.vars = [{ name: '$', value: root }];
  }

  at(pos: number, str: string): void {
    this.nodePos = pos;
    this.nodeStr = str;
  }

  fail(msg: string): never {
    const name = this.tree.name;
    if (this.nodePos < 0) throw new ExecFailure(`template: ${name}: ${msg}`);
    // the node as written; Go (as promtool 2.42 is built) does not shorten it
    const context = this.nodeStr;
    throw new ExecFailure(
      `template: ${errorLocation(this.tree, this.nodePos)}: executing ${JSON.stringify(name)} at <${context}>: ${msg}`,
    );
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  walkList(dot: unknown, list: ListNode[]): void {
    for (const n of list) this.walk(dot, n);
  }

  walk(dot: unknown, node: ListNode): void {
    switch (node.type) {
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node.pos, listNodeString(node), v);
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walkList(node.type === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  walkRange(dot: unknown, node: ControlNode): void {
    this.at(node.pos, listNodeString(node));
    const mark = this.vars.length;
    const v = this.evalPipeline(dot, node.pipe);
    const mark2 = this.vars.length;
    const items: [unknown, unknown][] = [];
    if (Array.isArray(v)) v.forEach((e, i) => items.push([BigInt(i), e]));
    else if (v instanceof Map) {
      const keys = [...v.keys()].sort(compareKeys);
      for (const k of keys) items.push([k, v.get(k)]);
    } else if (typeof v === 'bigint') {
      for (let i = 0n; i < v; i++) items.push([i, i]);
    } else if (v !== null && v !== undefined && typeof v === 'object') {
      for (const k of Object.keys(v).sort(compareKeys)) {
        const e = (v as Record<string, unknown>)[k];
        if (typeof e !== 'function') items.push([k, e]);
      }
    } else if (v !== null && v !== undefined) {
      this.at(node.pos, listNodeString(node));
      this.fail(`range can't iterate over ${formatValue(v)}`);
    }
    if (items.length === 0) {
      this.vars.length = mark;
      if (node.elseList) this.walkList(dot, node.elseList);
      return;
    }
    for (const [k, e] of items) {
      const decl = node.pipe.decl;
      if (decl.length === 1) {
        if (node.pipe.isAssign) this.setVar(decl[0]!.idents[0]!, e);
        else this.vars[mark2 - 1]!.value = e;
      } else if (decl.length === 2) {
        if (node.pipe.isAssign) {
          this.setVar(decl[0]!.idents[0]!, k);
          this.setVar(decl[1]!.idents[0]!, e);
        } else {
          this.vars[mark2 - 2]!.value = k;
          this.vars[mark2 - 1]!.value = e;
        }
      }
      const inner = this.vars.length;
      try {
        this.walkList(e, node.list);
      } catch (sig) {
        this.vars.length = inner;
        if (sig instanceof BreakSignal) break;
        if (sig instanceof ContinueSignal) continue;
        throw sig;
      }
      this.vars.length = inner;
    }
    this.vars.length = mark;
  }

  walkTemplate(dot: unknown, node: TemplateCallNode): void {
    this.at(node.pos, listNodeString(node));
    const tree = this.ctx.trees.get(node.name);
    if (!tree) this.fail(`template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const sub = new State(this.ctx, tree, this.depth + 1, newDot);
    sub.out = this.out;
    sub.walkList(newDot, tree.root);
  }

  printValue(pos: number, str: string, v: unknown): void {
    this.at(pos, str);
    if (v === undefined) this.out.push('<no value>');
    else if (typeof v === 'function') this.fail(`can't print ${str} of type func`);
    else this.out.push(formatValue(v));
  }

  evalPipeline(dot: unknown, pipe: Pipe): unknown {
    this.at(pipe.pos, pipeString(pipe));
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
    }
    if (value === NO_FINAL) value = undefined;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.idents[0]!, value);
      else this.vars.push({ name: v.idents[0]!, value });
    }
    return value;
  }

  notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL)
      this.fail(`can't give argument to non-function ${argString(args[0]!)}`);
  }

  evalCommand(dot: unknown, cmd: Command, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(
          dot,
          dot,
          first.pos,
          argString(first),
          first.idents,
          cmd.args,
          final,
        );
      case 'chain': {
        const base = this.evalArg(dot, first.node);
        return this.evalFieldChain(
          dot,
          base,
          first.pos,
          argString(first),
          first.fields,
          cmd.args,
          final,
        );
      }
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable': {
        this.at(first.pos, argString(first));
        const v = this.varValue(first.idents[0]!);
        if (first.idents.length === 1) {
          this.notAFunction(cmd.args, final);
          return v;
        }
        return this.evalFieldChain(
          dot,
          v,
          first.pos,
          argString(first),
          first.idents.slice(1),
          cmd.args,
          final,
        );
      }
      default:
        this.at(first.pos, argString(first));
        this.notAFunction(cmd.args, final);
        if (first.type === 'nil') this.fail('nil is not a command');
        if (first.type === 'dot') return dot;
        return first.value;
    }
  }

  evalFieldChain(
    dot: unknown,
    receiver: unknown,
    pos: number,
    str: string,
    idents: string[],
    args: Arg[] | null,
    final: Final,
  ): unknown {
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++)
      r = this.evalField(dot, idents[i]!, pos, str, null, NO_FINAL, r);
    return this.evalField(dot, idents[idents.length - 1]!, pos, str, args, final, r);
  }

  evalField(
    dot: unknown,
    name: string,
    pos: number,
    str: string,
    args: Arg[] | null,
    final: Final,
    receiver: unknown,
  ): unknown {
    this.at(pos, str);
    const hasArgs = (args !== null && args.length > 1) || final !== NO_FINAL;
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error')
        this.fail(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (typeof receiver !== 'object' && typeof receiver !== 'function') {
      this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    }
    const method = lookupMethod(receiver as object, name);
    if (method) {
      const argv = this.evalArgs(dot, args, final);
      try {
        return method.apply(receiver, argv);
      } catch (e) {
        this.at(pos, str);
        if (e instanceof ExecFailure) throw e;
        this.fail(`error calling ${name}: ${(e as Error).message ?? String(e)}`);
      }
    }
    let found: boolean;
    let value: unknown;
    if (receiver instanceof Map) {
      found = receiver.has(name);
      value = receiver.get(name);
    } else if (Array.isArray(receiver)) {
      this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    } else {
      found = Object.prototype.hasOwnProperty.call(receiver, name);
      value = found ? (receiver as Record<string, unknown>)[name] : undefined;
    }
    if (hasArgs) this.fail(`${name} is not a method but has arguments`);
    if (!found) {
      switch (this.ctx.missingKey) {
        case 'error':
          this.fail(`map has no entry for key ${JSON.stringify(name)}`);
        // eslint-disable-next-line no-fallthrough
        case 'zero':
          return zeroOf(receiver);
        default:
          return undefined;
      }
    }
    return value;
  }

  evalArgs(dot: unknown, args: Arg[] | null, final: Final): unknown[] {
    const out: unknown[] = [];
    if (args) for (let i = 1; i < args.length; i++) out.push(this.evalArg(dot, args[i]!));
    if (final !== NO_FINAL) out.push(final);
    return out;
  }

  evalArg(dot: unknown, a: Arg): unknown {
    this.at(a.pos, argString(a));
    switch (a.type) {
      case 'field':
        return this.evalFieldChain(dot, dot, a.pos, argString(a), a.idents, [a], NO_FINAL);
      case 'variable': {
        const v = this.varValue(a.idents[0]!);
        if (a.idents.length === 1) return v;
        return this.evalFieldChain(dot, v, a.pos, argString(a), a.idents.slice(1), [a], NO_FINAL);
      }
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'identifier':
        return this.evalFunction(dot, a.name, { pos: a.pos, args: [a] }, [a], NO_FINAL);
      case 'chain': {
        const base = this.evalArg(dot, a.node);
        return this.evalFieldChain(dot, base, a.pos, argString(a), a.fields, [a], NO_FINAL);
      }
      case 'dot':
        return dot;
      default:
        return a.value;
    }
  }

  evalFunction(dot: unknown, name: string, cmd: Command, args: Arg[], final: Final): unknown {
    const user = Object.prototype.hasOwnProperty.call(this.ctx.funcs, name)
      ? this.ctx.funcs[name]
      : undefined;
    if (!user && (name === 'and' || name === 'or')) {
      // short-circuit: arguments are evaluated only until the result is known
      const rest = args.slice(1);
      if (rest.length === 0 && final === NO_FINAL) {
        this.at(cmd.pos, commandString(cmd));
        this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      }
      let v: unknown;
      for (const a of rest) {
        v = this.evalArg(dot, a);
        if (isTrue(v) !== (name === 'and')) return v;
      }
      if (final !== NO_FINAL) v = final;
      return v;
    }
    const argv = this.evalArgs(dot, args, final);
    this.at(cmd.pos, commandString(cmd));
    try {
      if (user) return user(...argv);
      return callBuiltin(name, argv);
    } catch (e) {
      if (e instanceof ExecFailure) throw e;
      if (e instanceof TemplateArgTypeError) this.fail(e.message);
      this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function zeroOf(receiver: unknown): unknown {
  // the zero value of the map's element type: "" for string maps (label sets), including empty ones
  const values =
    receiver instanceof Map ? [...receiver.values()] : Object.values(receiver as object);
  if (values.every((x) => typeof x === 'string')) return '';
  return undefined;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function lookupMethod(receiver: object, name: string): ((...a: unknown[]) => unknown) | undefined {
  if (receiver instanceof Map) return undefined;
  if (Object.prototype.hasOwnProperty.call(receiver, name)) {
    const v = (receiver as Record<string, unknown>)[name];
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown) : undefined;
  }
  let proto = Object.getPrototypeOf(receiver) as object | null;
  while (
    proto &&
    proto !== Object.prototype &&
    proto !== Array.prototype &&
    proto !== Function.prototype
  ) {
    if (Object.prototype.hasOwnProperty.call(proto, name) && name !== 'constructor') {
      const v = (proto as Record<string, unknown>)[name];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown) : undefined;
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return undefined;
}

/** Executes template `tree` with `data`; returns the output or throws `ExecFailure`. */
export function execTree(ctx: ExecContext, tree: Tree, data: unknown): string {
  const s = new State(ctx, tree, 0, data);
  try {
    s.walkList(data, tree.root);
  } catch (e) {
    if (e instanceof BreakSignal || e instanceof ContinueSignal)
      throw new ExecFailure(`template: ${tree.name}: break or continue outside range`);
    if (e instanceof RangeError && /call stack/.test(e.message))
      throw new ExecFailure(
        `template: ${tree.name}: exceeded maximum template depth (${MAX_DEPTH})`,
      );
    throw e;
  }
  return s.out.join('');
}
