/**
 * The `input_series` value notation of `promtool test rules`: space-separated items, each a number
 * (`1`, `-2.5`, `1e3`, `Inf`, `NaN`), `_` (no sample), `stale` (a staleness marker), `a+bxn` /
 * `a-bxn` (n+1 values from a in steps of b), `axn` (a, n+1 times) or `_xn` (n missing samples).
 */
import { STALE_NAN } from '../model/samples.js';

/** One expanded value: a number, `null` for a missing sample, or StaleNaN for `stale`. */
export type SeriesValue = number | null;

function num(text: string): number | null {
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  if (t === 'nan') return NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) && !/^-?0x[0-9a-f]+$/.test(t)) return null;
  return Number(t);
}

/**
 * Expands a values string. Throws Error naming the bad item when it is not valid notation.
 */
export function expandSeriesValues(text: string): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const item of text
    .trim()
    .split(/\s+/)
    .filter((x) => x !== '')) {
    if (item === '_') {
      out.push(null);
      continue;
    }
    if (item === 'stale') {
      out.push(STALE_NAN);
      continue;
    }
    const blanks = /^_x(\d+)$/.exec(item);
    if (blanks) {
      for (let i = 0; i < Number(blanks[1]); i++) out.push(null);
      continue;
    }
    const m = /^(.+?)(?:([+-])(.+?))?x(\d+)$/.exec(item);
    if (m) {
      const a = num(m[1]!);
      const b = m[3] !== undefined ? num(m[3]) : 0;
      if (a === null || b === null) throw new Error(`bad series value: ${JSON.stringify(item)}`);
      const step = m[2] === '-' ? -b : b;
      const n = Number(m[4]);
      let v = a;
      for (let i = 0; i <= n; i++) {
        out.push(v);
        v += step;
      }
      continue;
    }
    const v = num(item);
    if (v === null) throw new Error(`bad series value: ${JSON.stringify(item)}`);
    out.push(v);
  }
  return out;
}
