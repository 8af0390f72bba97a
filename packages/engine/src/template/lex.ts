/**
 * Lexer for Go text/template source: splits text and `{{ }}` actions into tokens, applying the
 * `{{-` / `-}}` whitespace trim markers and dropping `{{/* comments *\/}}`.
 */

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'space'
  | 'eof';

/** One lexed token: its kind, source text, byte offset and 1-based line. */
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  line: number;
}

/** A lexing failure with the 1-based line it happened on (rendered by the parser). */
export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
}

function lineAt(text: string, pos: number): number {
  // binary search over the newline offsets (computed once per text)
  const box = lineIndexFor(text);
  let lo = 0;
  let hi = box.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (box[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

let lastText = '';
let lastIndex: number[] = [];
function lineIndexFor(text: string): number[] {
  if (text === lastText) return lastIndex;
  const idx: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) idx.push(i);
  lastText = text;
  lastIndex = idx;
  return idx;
}

/** Lexes a whole template text into tokens (text, delimiters and action tokens, ending in `eof`). */
export function lexTemplate(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let trimNextText = false;
  const push = (kind: TokenKind, text: string, pos: number): void => {
    out.push({ kind, text, pos, line: lineAt(src, pos) });
  };
  while (i <= src.length) {
    let open = src.indexOf('{{', i);
    if (open < 0) open = src.length;
    let textEnd = open;
    const leftTrim = open < src.length && src[open + 2] === '-' && isSpace(src[open + 3]);
    let text = src.slice(i, textEnd);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
    if (leftTrim) text = text.replace(/[ \t\r\n]+$/, '');
    if (text.length > 0) push('text', text, i);
    trimNextText = false;
    if (open >= src.length) break;
    textEnd = open;
    let p = open + 2 + (leftTrim ? 2 : 0);
    // comment
    const afterSpace = p;
    if (src.startsWith('/*', afterSpace)) {
      const close = src.indexOf('*/', afterSpace + 2);
      if (close < 0) throw new LexError('unclosed comment', lineAt(src, open));
      let q = close + 2;
      let rightTrim = false;
      if (isSpace(src[q]) && src[q + 1] === '-' && src.startsWith('}}', q + 2)) {
        rightTrim = true;
        q += 2;
      }
      if (!src.startsWith('}}', q))
        throw new LexError('comment ends before closing delimiter', lineAt(src, open));
      i = q + 2;
      trimNextText = rightTrim;
      continue;
    }
    push('leftDelim', '{{', open);
    let parenDepth = 0;
    for (;;) {
      // right delimiter (with optional trim)
      if (isSpace(src[p]) && src[p + 1] === '-' && src.startsWith('}}', p + 2)) {
        push('rightDelim', '}}', p + 2);
        i = p + 4;
        trimNextText = true;
        break;
      }
      if (src.startsWith('}}', p)) {
        if (parenDepth > 0) throw new LexError('unclosed left paren', lineAt(src, p));
        push('rightDelim', '}}', p);
        i = p + 2;
        break;
      }
      const c = src[p];
      if (c === undefined) throw new LexError('unclosed action', lineAt(src, open));
      if (isSpace(c)) {
        const s = p;
        while (isSpace(src[p])) {
          p++;
          if (isSpace(src[p]) && src[p + 1] === '-' && src.startsWith('}}', p + 2)) break;
        }
        push('space', src.slice(s, p), s);
        continue;
      }
      if (c === '=') {
        push('assign', '=', p);
        p++;
        continue;
      }
      if (c === ':') {
        if (src[p + 1] !== '=') throw new LexError('expected :=', lineAt(src, p));
        push('declare', ':=', p);
        p += 2;
        continue;
      }
      if (c === '|') {
        push('pipe', '|', p);
        p++;
        continue;
      }
      if (c === ',') {
        push('comma', ',', p);
        p++;
        continue;
      }
      if (c === '(') {
        parenDepth++;
        push('leftParen', '(', p);
        p++;
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) throw new LexError('unexpected right paren', lineAt(src, p));
        push('rightParen', ')', p);
        p++;
        continue;
      }
      if (c === '"') {
        const s = p;
        p++;
        for (;;) {
          const d = src[p];
          if (d === undefined || d === '\n')
            throw new LexError('unterminated quoted string', lineAt(src, s));
          if (d === '\\') {
            p += 2;
            continue;
          }
          p++;
          if (d === '"') break;
        }
        push('string', src.slice(s, p), s);
        continue;
      }
      if (c === '`') {
        const close = src.indexOf('`', p + 1);
        if (close < 0) throw new LexError('unterminated raw quoted string', lineAt(src, p));
        push('rawString', src.slice(p, close + 1), p);
        p = close + 1;
        continue;
      }
      if (c === "'") {
        const s = p;
        p++;
        for (;;) {
          const d = src[p];
          if (d === undefined || d === '\n')
            throw new LexError('unterminated character constant', lineAt(src, s));
          if (d === '\\') {
            p += 2;
            continue;
          }
          p++;
          if (d === "'") break;
        }
        push('char', src.slice(s, p), s);
        continue;
      }
      if (c === '$') {
        const s = p;
        p++;
        while (isAlnum(src[p])) p++;
        push('variable', src.slice(s, p), s);
        continue;
      }
      if (c === '.') {
        const s = p;
        if (src[p + 1] !== undefined && /[0-9]/.test(src[p + 1]!)) {
          p = scanNumber(src, p);
          push('number', src.slice(s, p), s);
          continue;
        }
        p++;
        if (isAlnum(src[p])) {
          while (isAlnum(src[p])) p++;
          push('field', src.slice(s, p), s);
        } else {
          push('dot', '.', s);
        }
        continue;
      }
      if (/[0-9+-]/.test(c)) {
        const s = p;
        p = scanNumber(src, p);
        if (p === s || (p === s + 1 && (c === '+' || c === '-'))) {
          throw new LexError(`bad number syntax: "${src.slice(s, s + 1)}"`, lineAt(src, s));
        }
        if (isAlnum(src[p]) || src[p] === '.') {
          let e = p;
          while (isAlnum(src[e]) || src[e] === '.') e++;
          throw new LexError(`bad number syntax: "${src.slice(s, e)}"`, lineAt(src, s));
        }
        push('number', src.slice(s, p), s);
        continue;
      }
      if (isAlnum(c)) {
        const s = p;
        while (isAlnum(src[p])) p++;
        const word = src.slice(s, p);
        if (KEYWORDS.has(word)) push('keyword', word, s);
        else if (word === 'true' || word === 'false') push('bool', word, s);
        else if (word === 'nil') push('nil', word, s);
        else push('identifier', word, s);
        continue;
      }
      throw new LexError(`unrecognized character in action: ${JSON.stringify(c)}`, lineAt(src, p));
    }
  }
  push('eof', '', src.length);
  return out;
}

function scanNumber(src: string, p: number): number {
  if (src[p] === '+' || src[p] === '-') p++;
  let digits = '0123456789_';
  if (src[p] === '0' && src[p + 1] !== undefined && /[xXoObB]/.test(src[p + 1]!)) {
    const k = src[p + 1]!.toLowerCase();
    p += 2;
    digits = k === 'x' ? '0123456789abcdefABCDEF_' : k === 'o' ? '01234567_' : '01_';
  }
  while (src[p] !== undefined && digits.includes(src[p]!)) p++;
  if (src[p] === '.') {
    p++;
    while (src[p] !== undefined && digits.includes(src[p]!)) p++;
  }
  if (src[p] !== undefined && /[eEpP]/.test(src[p]!) && digits.length <= 11) {
    p++;
    if (src[p] === '+' || src[p] === '-') p++;
    while (src[p] !== undefined && /[0-9_]/.test(src[p]!)) p++;
  }
  if (src[p] === 'i') p++;
  return p;
}
