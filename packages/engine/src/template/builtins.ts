/**
 * Go text/template's predefined functions (not, len, index, slice, print, printf, println, html,
 * js, urlquery, eq, ne, lt, le, gt, ge, call; and/or short-circuit in the executor) and Go's truth rule.
 */
import { goTypeName, sprint, sprintf, sprintln } from './go-format.js';

/** A template function: receives evaluated arguments (pipeline value last); throw to fail. */
export type TemplateFunc = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Go's truth rule: false, 0, nil, "" and empty slices/maps are false; everything else true. */
export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
    return Object.keys(v).length > 0;
  return true;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function kindOf(v: unknown): Kind {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
  }
  return 'other';
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = kindOf(a);
  for (const b of rest) {
    const k2 = kindOf(b);
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid')
        throw new Error('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') {
      if (
        Array.isArray(a) ||
        Array.isArray(b) ||
        a instanceof Map ||
        b instanceof Map ||
        isPlainObject(a) ||
        isPlainObject(b)
      ) {
        throw new Error(`non-comparable type ${goTypeName(a)}`);
      }
    }
    if (k1 === 'invalid') return true;
    if (a === b) return true;
  }
  return false;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = kindOf(a);
  const k2 = kindOf(b);
  if (k1 === 'bool' || k1 === 'other' || k1 === 'invalid')
    throw new Error('invalid type for comparison');
  if (k2 === 'bool' || k2 === 'other' || k2 === 'invalid')
    throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  return (a as number) < (b as number);
}

function goLen(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v));
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof Map) return BigInt(v.size);
  if (isPlainObject(v)) return BigInt(Object.keys(v as object).length);
  throw new Error(`len of type ${goTypeName(v)}`);
}

function toIndex(x: unknown, len: number, cap = len): number {
  if (typeof x !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(x)}`);
  if (x < 0n || x >= BigInt(cap)) throw new Error(`index out of range: ${x}`);
  void len;
  return Number(x);
}

function index(item: unknown, ...indices: unknown[]): unknown {
  let v = item;
  for (const ix of indices) {
    if (v === undefined || v === null) throw new Error('index of untyped nil');
    if (Array.isArray(v)) v = v[toIndex(ix, v.length)];
    else if (typeof v === 'string') v = BigInt(Buffer.from(v)[toIndex(ix, Buffer.byteLength(v))]!);
    else if (v instanceof Map) {
      if (!v.has(ix)) v = zeroOfValues([...v.values()]);
      else v = v.get(ix);
    } else if (isPlainObject(v)) {
      if (typeof ix !== 'string')
        throw new Error(`value has type ${goTypeName(ix)}; should be string`);
      const o = v as Record<string, unknown>;
      v = Object.prototype.hasOwnProperty.call(o, ix) ? o[ix] : zeroOfValues(Object.values(o));
    } else throw new Error(`can't index item of type ${goTypeName(v)}`);
  }
  return v;
}

function zeroOfValues(values: unknown[]): unknown {
  if (values.length > 0 && values.every((x) => typeof x === 'string')) return '';
  if (values.length > 0 && values.every((x) => typeof x === 'number')) return 0;
  return undefined;
}

function slice(item: unknown, ...idx: unknown[]): unknown {
  if (typeof item !== 'string' && !Array.isArray(item))
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const len = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  const ix = idx.map((x) => toIndex(x, len, len + 1));
  const lo = ix[0] ?? 0;
  const hi = ix[1] ?? len;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (typeof item === 'string') return Buffer.from(item).subarray(lo, hi).toString('utf8');
  return item.slice(lo, hi);
}

function evalArgsString(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

/** Go's template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === "'"
        ? '&#39;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  );
}

/** Go's template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (c < 0x20 || (c >= 0x7f && /\p{C}/u.test(ch)))
      out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Calls the builtin `name` with evaluated arguments; throws Error with Go's message on failure. */
export function callBuiltin(name: string, args: unknown[]): unknown {
  const want = (n: number): void => {
    if (args.length !== n)
      throw new Error(`wrong number of args for ${name}: want ${n} got ${args.length}`);
  };
  switch (name) {
    case 'not':
      want(1);
      return !isTrue(args[0]);
    case 'len':
      want(1);
      return goLen(args[0]);
    case 'index':
      if (args.length < 1) throw new Error('wrong number of args for index: want at least 1 got 0');
      return index(args[0], ...args.slice(1));
    case 'slice':
      return slice(args[0], ...args.slice(1));
    case 'print':
      return sprint(args);
    case 'println':
      return sprintln(args);
    case 'printf': {
      if (args.length < 1)
        throw new Error('wrong number of args for printf: want at least 1 got 0');
      if (typeof args[0] !== 'string')
        throw new Error(`wrong type for value; expected string; got ${goTypeName(args[0])}`);
      return sprintf(args[0], args.slice(1));
    }
    case 'html':
      return htmlEscape(evalArgsString(args));
    case 'js':
      return jsEscape(evalArgsString(args));
    case 'urlquery':
      return queryEscape(evalArgsString(args));
    case 'eq':
      return eq(args[0], ...args.slice(1));
    case 'ne':
      want(2);
      return !eq(args[0], args[1]);
    case 'lt':
      want(2);
      return lt(args[0], args[1]);
    case 'le':
      want(2);
      return lt(args[0], args[1]) || eq(args[0], args[1]);
    case 'gt':
      want(2);
      return !(lt(args[0], args[1]) || eq(args[0], args[1]));
    case 'ge':
      want(2);
      return !lt(args[0], args[1]);
    case 'call': {
      const fn = args[0];
      if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
      return (fn as TemplateFunc)(...args.slice(1));
    }
  }
  throw new Error(`function "${name}" not defined`);
}
