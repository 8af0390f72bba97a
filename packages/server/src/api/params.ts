/** An API parameter error, reported as `bad_data` with HTTP 400. */
export class BadDataError extends Error {}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an API time (unix seconds with fraction, or RFC3339) to milliseconds. */
export function parseApiTime(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return Math.round(n * 1000);
  if (RFC3339.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  // Prometheus accepts its own min/max time strings as sent by clients for "unbounded".
  if (value === '-292275055-05-16T16:47:04.192Z') return -8.64e15;
  if (value === '292277025-08-18T07:12:54.999Z') return 8.64e15;
  throw new BadDataError(`invalid parameter "${name}": cannot parse "${value}" to a valid timestamp`);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Parses an API duration (float seconds, or a Prometheus duration like `15s`) to milliseconds. */
export function parseApiDuration(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return Math.round(n * 1000);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos > 0 && pos === value.length) return total;
  throw new BadDataError(`invalid parameter "${name}": cannot parse "${value}" to a valid duration`);
}

/** Formats a sample value as Prometheus does (strconv 'f', -1): NaN, +Inf, -Inf, no exponent for common ranges. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!s.includes('e')) return s;
  // Expand exponent notation to plain decimal digits as Go's 'f' format does.
  const [mant, expS] = s.split('e') as [string, string];
  const exp = Number(expS);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const intLen = mant.replace('-', '').split('.')[0]!.length + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

/** Formats a millisecond timestamp as the API's float seconds. */
export function apiTime(ms: number): number {
  return ms / 1000;
}
