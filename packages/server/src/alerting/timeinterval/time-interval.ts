/** One `times` entry: minutes since midnight, start inclusive, end exclusive. */
export interface TimeRange {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** An inclusive integer range (weekdays 0=Sunday…6, days of month 1…31 or negative from the end, months 1…12, years). */
export interface IntRange {
  readonly begin: number;
  readonly end: number;
}

/** One entry of a named `time_intervals` list, parsed; an empty field means "any". */
export interface TimeInterval {
  readonly times: readonly TimeRange[];
  readonly weekdays: readonly IntRange[];
  readonly daysOfMonth: readonly IntRange[];
  readonly months: readonly IntRange[];
  readonly years: readonly IntRange[];
  /** IANA zone name; UTC when absent. */
  readonly location?: string;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minute: number;
  daysInMonth: number;
}

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, zone: string | undefined): Parts {
  const tz = zone ?? 'UTC';
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(date)) p[x.type] = x.value;
  const year = Number(p.year);
  const month = Number(p.month);
  return {
    year,
    month,
    day: Number(p.day),
    weekday: weekdayIndex[p.weekday!] ?? 0,
    minute: Number(p.hour) * 60 + Number(p.minute),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

function inRanges(v: number, ranges: readonly IntRange[]): boolean {
  if (ranges.length === 0) return true;
  return ranges.some((r) => v >= r.begin && v <= r.end);
}

/** Resolves a day-of-month bound: negative values count from the end of the month (-1 = last day). */
function dayBound(v: number, daysInMonth: number): number {
  return v < 0 ? daysInMonth + v + 1 : v;
}

/** True when the instant falls inside the interval (Alertmanager's `TimeInterval.ContainsTime`). */
export function timeIntervalContains(ti: TimeInterval, at: Date): boolean {
  const p = partsIn(at, ti.location);
  if (ti.times.length > 0 && !ti.times.some((t) => p.minute >= t.startMinute && p.minute < t.endMinute)) return false;
  if (!inRanges(p.weekday, ti.weekdays)) return false;
  if (ti.daysOfMonth.length > 0) {
    const ok = ti.daysOfMonth.some((r) => {
      const b = Math.max(1, dayBound(r.begin, p.daysInMonth));
      const e = Math.min(p.daysInMonth, dayBound(r.end, p.daysInMonth));
      return p.day >= b && p.day <= e;
    });
    if (!ok) return false;
  }
  if (!inRanges(p.month, ti.months)) return false;
  if (!inRanges(p.year, ti.years)) return false;
  return true;
}

/** True when any interval of the named list contains the instant. */
export function anyIntervalContains(list: readonly TimeInterval[], at: Date): boolean {
  return list.some((ti) => timeIntervalContains(ti, at));
}
