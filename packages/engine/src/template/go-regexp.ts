/**
 * Go RE2 regular expressions on JS RegExp: converts Go-only syntax (`(?P<name>`, leading inline
 * flags `(?i)`/`(?s)`/`(?m)`) and implements Go's `ReplaceAllString` `$1`/`${name}` expansion.
 */

/** Compiles a Go regexp pattern to a JS RegExp (global); throws Error with Go-like text when invalid. */
export function compileGoRegexp(pattern: string, anchored = false): RegExp {
  let src = pattern;
  let flags = 'g';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replace(/\(\?P</g, '(?<');
  if (anchored) src = `^(?:${src})$`;
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new Error(
      `error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
}

function expand(repl: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (repl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (repl[i + 1] === '{') {
      const close = repl.indexOf('}', i + 2);
      name = close < 0 ? '' : repl.slice(i + 2, close);
      if (close < 0 || !/^[A-Za-z0-9_]+$/.test(name)) {
        out += c;
        continue;
      }
      end = close;
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(repl.slice(i + 1));
      if (!mm) {
        out += c;
        continue;
      }
      name = mm[0];
      end = i + name.length;
    }
    if (/^[0-9]+$/.test(name)) out += match[Number(name)] ?? '';
    else out += match.groups?.[name] ?? '';
    i = end;
  }
  return out;
}

/** Go's `regexp.ReplaceAllString(text, repl)`. */
export function goReplaceAll(re: RegExp, text: string, repl: string): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out += text.slice(last, m.index) + expand(repl, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index < text.length) out += text[m.index];
      last = m.index + 1;
      re.lastIndex = m.index + 1;
      if (m.index >= text.length) break;
    }
  }
  if (last <= text.length) out += text.slice(last);
  return out;
}
