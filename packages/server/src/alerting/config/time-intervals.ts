import type { Node } from 'yaml';
import type { IntRange, TimeInterval, TimeRange } from '../timeinterval/time-interval.js';
import type { YamlSource } from './yaml-source.js';

const weekdays: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const months: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};
const fields = new Set(['times', 'weekdays', 'days_of_month', 'months', 'years', 'location']);

function minuteOf(y: YamlSource, node: Node, s: string): number {
  const m = /^(\d\d):(\d\d)$/.exec(s);
  if (!m) y.fail(node, `couldn't parse timestamp ${s}, invalid format`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) y.fail(node, `timestamp ${s} out of range`);
  return h * 60 + min;
}

function rangeList(y: YamlSource, node: Node | null, what: string, parseOne: (s: string, item: Node) => number, check: (r: IntRange, item: Node) => void): IntRange[] {
  const out: IntRange[] = [];
  for (const item of y.seqItems(node, what)) {
    const s = y.str(item, what).toLowerCase();
    const parts = s.split(':');
    if (parts.length > 2 || parts.some((p) => p === '')) y.fail(item, `invalid range ${JSON.stringify(s)} in ${what}`);
    const begin = parseOne(parts[0]!, item);
    const end = parts.length === 2 ? parseOne(parts[1]!, item) : begin;
    const r = { begin, end };
    check(r, item);
    out.push(r);
  }
  return out;
}

function intOf(y: YamlSource, item: Node, s: string, what: string): number {
  if (!/^-?\d+$/.test(s)) y.fail(item, `invalid ${what} ${JSON.stringify(s)}`);
  return Number(s);
}

/** Parses the `time_intervals` list of one named time interval (Alertmanager's timeinterval package rules). */
export function parseTimeIntervalList(y: YamlSource, node: Node | null): TimeInterval[] {
  const out: TimeInterval[] = [];
  for (const item of y.seqItems(node, 'time_intervals')) {
    const m = y.mapEntries(item, 'timeinterval.TimeInterval', fields);
    const times: TimeRange[] = [];
    for (const t of y.seqItems(m.get('times')?.value, 'times')) {
      const tm = y.mapEntries(t, 'timeinterval.TimeRange', new Set(['start_time', 'end_time']));
      const sNode = tm.get('start_time')?.value ?? null;
      const eNode = tm.get('end_time')?.value ?? null;
      if (!sNode || !eNode) y.fail(t, 'both start and end times must be provided');
      const startMinute = minuteOf(y, sNode, y.str(sNode, 'start_time'));
      const endMinute = minuteOf(y, eNode, y.str(eNode, 'end_time'));
      if (startMinute >= endMinute) y.fail(t, 'start time cannot be equal or greater than end time');
      times.push({ startMinute, endMinute });
    }
    const wd = rangeList(
      y,
      m.get('weekdays')?.value ?? null,
      'weekdays',
      (s, n) => weekdays[s] ?? y.fail(n, `${s} is not a valid weekday`),
      (r, n) => {
        if (r.begin > r.end) y.fail(n, 'start day cannot be before end day');
      },
    );
    const dom = rangeList(
      y,
      m.get('days_of_month')?.value ?? null,
      'days_of_month',
      (s, n) => intOf(y, n, s, 'day of month'),
      (r, n) => {
        for (const v of [r.begin, r.end]) if (v === 0 || v < -31 || v > 31) y.fail(n, `${v} is not a valid day of the month: out of range`);
        if (Math.sign(r.begin) === Math.sign(r.end) && r.begin > r.end) y.fail(n, 'end day must be greater than start day');
        if (r.begin < 0 && r.end > 0) y.fail(n, 'end day must be negative if start day is negative');
      },
    );
    const mo = rangeList(
      y,
      m.get('months')?.value ?? null,
      'months',
      (s, n) => months[s] ?? (/^\d+$/.test(s) ? Number(s) : y.fail(n, `${s} is not a valid month`)),
      (r, n) => {
        for (const v of [r.begin, r.end]) if (v < 1 || v > 12) y.fail(n, `${v} is not a valid month`);
        if (r.begin > r.end) y.fail(n, 'end month must be greater than start month');
      },
    );
    const yr = rangeList(
      y,
      m.get('years')?.value ?? null,
      'years',
      (s, n) => intOf(y, n, s, 'year'),
      (r, n) => {
        if (r.begin > r.end) y.fail(n, 'end year must be greater than start year');
      },
    );
    let location: string | undefined;
    const locNode = m.get('location')?.value ?? null;
    if (locNode) {
      location = y.str(locNode, 'location');
      if (location === 'Local') location = undefined;
      else {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: location });
        } catch {
          y.fail(locNode, `unknown time zone ${location}`);
        }
      }
    }
    out.push({ times, weekdays: wd, daysOfMonth: dom, months: mo, years: yr, ...(location ? { location } : {}) });
  }
  return out;
}
