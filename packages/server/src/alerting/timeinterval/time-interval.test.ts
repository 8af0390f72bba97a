import { describe, expect, it } from 'vitest';
import { timeIntervalContains, type TimeInterval } from './time-interval.js';

const base: TimeInterval = { times: [], weekdays: [], daysOfMonth: [], months: [], years: [] };

describe('timeIntervalContains', () => {
  it('checks times, weekdays, days of month (negative from the end), months and years', () => {
    const bizHours: TimeInterval = { ...base, times: [{ startMinute: 9 * 60, endMinute: 17 * 60 }], weekdays: [{ begin: 1, end: 5 }] };
    expect(timeIntervalContains(bizHours, new Date('2026-03-04T10:00:00Z'))).toBe(true); // Wednesday
    expect(timeIntervalContains(bizHours, new Date('2026-03-04T17:00:00Z'))).toBe(false); // end is exclusive
    expect(timeIntervalContains(bizHours, new Date('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
    const lastDays: TimeInterval = { ...base, daysOfMonth: [{ begin: -2, end: -1 }] };
    expect(timeIntervalContains(lastDays, new Date('2026-02-28T12:00:00Z'))).toBe(true);
    expect(timeIntervalContains(lastDays, new Date('2026-02-26T12:00:00Z'))).toBe(false);
    const q1: TimeInterval = { ...base, months: [{ begin: 1, end: 3 }], years: [{ begin: 2026, end: 2026 }] };
    expect(timeIntervalContains(q1, new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect(timeIntervalContains(q1, new Date('2027-02-01T00:00:00Z'))).toBe(false);
  });

  it('evaluates in the interval location', () => {
    const berlinMorning: TimeInterval = { ...base, times: [{ startMinute: 9 * 60, endMinute: 10 * 60 }], location: 'Europe/Berlin' };
    expect(timeIntervalContains(berlinMorning, new Date('2026-01-15T08:30:00Z'))).toBe(true); // 09:30 CET
    expect(timeIntervalContains(berlinMorning, new Date('2026-01-15T09:30:00Z'))).toBe(false);
  });
});
