/**
 * Go `fmt` formatting for template values: `%v` printing, `Sprint`/`Sprintln`, and `Sprintf`
 * with the common verbs (%v %s %d %f %e %g %q %x %X %o %b %c %t %%), flags, width and precision.
 * Value model: JS number = Go float64, bigint = Go int, string, boolean, arrays = slices, objects
 * and Maps = maps, null/undefined = nil.
 */

/** Go's type name for a template value, as `%!d(float64=1)` shows it. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'function') return 'func';
  return 'map[string]interface {}';
}

function exactFixed(v: number, prec: number): string {
  // exact decimal expansion of |v|, rounded half-to-even at `prec` fraction digits (as Go does)
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let intDigits: string;
  let frac: string;
  if (e >= 0) {
    intDigits = (mant << BigInt(e)).toString();
    frac = '';
  } else {
    const k = -e;
    const s = (mant * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
    intDigits = s.slice(0, s.length - k);
    frac = s.slice(s.length - k).replace(/0+$/, '');
  }
  if (frac.length <= prec) return intDigits + (prec > 0 ? '.' + frac.padEnd(prec, '0') : '');
  const kept = intDigits + frac.slice(0, prec);
  const rest = frac.slice(prec);
  let n = BigInt(kept);
  const first = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1).replace(/0+$/, '');
  if (
    first > 5 ||
    (first === 5 && tail.length > 0) ||
    (first === 5 && tail.length === 0 && n % 2n === 1n)
  )
    n += 1n;
  const s = n.toString().padStart(prec + 1, '0');
  return prec > 0 ? s.slice(0, s.length - prec) + '.' + s.slice(s.length - prec) : s;
}

function fixExp(s: string): string {
  // JS "1.5e+0" -> Go "1.5e+00"
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Formats a float64 like Go's strconv.FormatFloat(v, verb, prec, 64); prec -1 = shortest. */
export function formatFloat(
  v: number,
  verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G',
  prec: number,
): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let out: string;
  const lower = verb.toLowerCase();
  if (lower === 'f') {
    out = prec < 0 ? shortestFixed(a) : exactFixed(a, prec);
  } else if (lower === 'e') {
    out = fixExp(prec < 0 ? a.toExponential() : a.toExponential(Math.min(prec, 100)));
  } else {
    // %g
    let digits: string;
    let exp: number;
    if (a === 0) {
      digits = '0';
      exp = 0;
    } else {
      const ex =
        prec < 0
          ? a.toExponential()
          : a.toExponential(Math.max(0, Math.min(prec === 0 ? 0 : prec - 1, 100)));
      const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(ex)!;
      digits = (m[1]! + (m[2] ?? '')).replace(/0+$/, '') || '0';
      exp = Number(m[3]);
    }
    let eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    if (prec >= 0 && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
    if (prec < 0) eprec = 6;
    if (exp < -4 || exp >= eprec) {
      const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
      const es = Math.abs(exp) < 10 ? '0' + Math.abs(exp) : String(Math.abs(exp));
      out = `${mant}e${exp < 0 ? '-' : '+'}${es}`;
    } else if (exp >= 0) {
      out =
        digits.length > exp + 1
          ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
          : digits.padEnd(exp + 1, '0');
    } else {
      out = '0.' + '0'.repeat(-exp - 1) + digits;
    }
  }
  if (verb === 'E' || verb === 'G') out = out.toUpperCase();
  return (neg ? '-' : '') + out;
}

function shortestFixed(a: number): string {
  const ex = a.toExponential();
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(ex)!;
  const digits = m[1]! + (m[2] ?? '');
  const exp = Number(m[3]);
  if (exp >= 0)
    return digits.length > exp + 1
      ? digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
      : digits.padEnd(exp + 1, '0');
  return '0.' + '0'.repeat(-exp - 1) + digits;
}

/** Go's strconv.Quote: a double-quoted string with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch) || (c >= 0x80 && c <= 0x9f)) {
      out +=
        c > 0xffff
          ? '\\U' + c.toString(16).padStart(8, '0')
          : '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Formats a value with `%v` as Go's fmt does. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v, 'g', -1);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(' ') + ']';
  if (typeof v === 'function') return '0x0';
  if (v instanceof Date) return goTimeString(v.getTime());
  if (
    typeof (v as { toString?: unknown }).toString === 'function' &&
    Object.prototype.hasOwnProperty.call(v, 'toString')
  ) {
    return String(v);
  }
  const entries =
    v instanceof Map
      ? [...v.entries()]
      : Object.entries(v as object).filter(([, x]) => typeof x !== 'function');
  entries.sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : String(x[0]) > String(y[0]) ? 1 : 0));
  return 'map[' + entries.map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(' ') + ']';
}

/** Go's fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(args[i]);
  }
  return out;
}

/** Go's fmt.Sprintln: operands formatted with %v, separated by spaces, ending in a newline. */
export function sprintln(args: unknown[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
}

function pad(s: string, sp: Spec, numeric: boolean): string {
  if (sp.width < 0 || [...s].length >= sp.width) return s;
  const n = sp.width - [...s].length;
  if (sp.minus) return s + ' '.repeat(n);
  if (sp.zero && numeric) {
    const m = /^[+\- ]/.exec(s);
    if (m) return m[0] + '0'.repeat(n) + s.slice(1);
    return '0'.repeat(n) + s;
  }
  return ' '.repeat(n) + s;
}

function signed(s: string, sp: Spec): string {
  if (s.startsWith('-')) return s;
  if (sp.plus) return '+' + s;
  if (sp.space) return ' ' + s;
  return s;
}

function bad(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v)})`;
}

function formatOne(verb: string, v: unknown, sp: Spec): string {
  if (verb === 'v') {
    if (typeof v === 'number') return pad(signed(formatFloat(v, 'g', sp.prec), sp), sp, true);
    if (typeof v === 'bigint') return pad(signed(v.toString(), sp), sp, true);
    if (typeof v === 'string' && sp.sharp) return pad(goQuote(v), sp, false);
    return pad(formatValue(v), sp, false);
  }
  if (typeof v === 'number') {
    if ('eEfFgG'.includes(verb)) {
      const p = sp.prec >= 0 ? sp.prec : verb === 'g' || verb === 'G' ? -1 : 6;
      return pad(signed(formatFloat(v, verb as 'e', p), sp), sp, Number.isFinite(v));
    }
    return bad(verb, v);
  }
  if (typeof v === 'bigint') {
    const neg = v < 0n;
    const a = neg ? -v : v;
    let s: string;
    switch (verb) {
      case 'd':
        s = a.toString();
        break;
      case 'x':
        s = (sp.sharp ? '0x' : '') + a.toString(16);
        break;
      case 'X':
        s = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase();
        break;
      case 'o':
        s = (sp.sharp ? '0' : '') + a.toString(8);
        break;
      case 'O':
        s = '0o' + a.toString(8);
        break;
      case 'b':
        s = a.toString(2);
        break;
      case 'c':
        return pad(String.fromCodePoint(Number(v)), sp, false);
      case 'q':
        return pad("'" + String.fromCodePoint(Number(v)) + "'", sp, false);
      case 'U':
        return pad('U+' + a.toString(16).toUpperCase().padStart(4, '0'), sp, false);
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        return bad(verb, v);
      default:
        return bad(verb, v);
    }
    if (sp.prec >= 0) s = s.padStart(sp.prec, '0');
    return pad(signed((neg ? '-' : '') + s, sp), sp, sp.prec < 0);
  }
  if (typeof v === 'string') {
    let s = v;
    switch (verb) {
      case 's':
        if (sp.prec >= 0) s = [...s].slice(0, sp.prec).join('');
        return pad(s, sp, false);
      case 'q':
        return pad(sp.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), sp, false);
      case 'x':
      case 'X': {
        const hex = [...Buffer.from(s, 'utf8')]
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('');
        return pad(verb === 'X' ? hex.toUpperCase() : hex, sp, false);
      }
      default:
        return bad(verb, v);
    }
  }
  if (typeof v === 'boolean') {
    if (verb === 't') return pad(v ? 'true' : 'false', sp, false);
    return bad(verb, v);
  }
  if (Array.isArray(v) && 'sdqxXfeg'.includes(verb)) {
    return '[' + v.map((x) => formatOne(verb, x, { ...sp, width: -1 })).join(' ') + ']';
  }
  if (v === null || v === undefined) {
    return bad(verb, v);
  }
  if (verb === 's') return pad(formatValue(v), sp, false);
  return bad(verb, v);
}

/** Go's fmt.Sprintf for template values. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = {
      minus: false,
      plus: false,
      sharp: false,
      space: false,
      zero: false,
      width: -1,
      prec: -1,
    };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') sp.minus = true;
      else if (c === '+') sp.plus = true;
      else if (c === '#') sp.sharp = true;
      else if (c === ' ') sp.space = true;
      else if (c === '0') sp.zero = !sp.minus;
      else break;
    }
    const readNum = (): number => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : -1;
      }
      let s = '';
      while (i < format.length && /[0-9]/.test(format[i]!)) s += format[i++];
      return s === '' ? -1 : Number(s);
    };
    sp.width = readNum();
    if (format[i] === '.') {
      i++;
      const p = readNum();
      sp.prec = p < 0 ? 0 : p;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(verb, args[argi++], sp);
  }
  if (argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) =>
          a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`,
        )
        .join(', ') +
      ')';
  }
  return out;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Formats epoch milliseconds like Go's `time.Time.String()` in UTC. */
export function goTimeString(ms: number): string {
  const d = new Date(ms);
  const frac = ((ms % 1000) + 1000) % 1000;
  const fs = frac === 0 ? '' : '.' + String(frac).padStart(3, '0').replace(/0+$/, '');
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${fs} +0000 UTC`;
}
