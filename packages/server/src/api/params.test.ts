import { describe, expect, it } from 'vitest';
import { BadDataError, formatValue, parseApiDuration, parseApiTime } from './params.js';

describe('API parameters', () => {
  it('parses unix seconds and RFC3339 times', () => {
    expect(parseApiTime('1700000000.5', 'time')).toBe(1_700_000_000_500);
    expect(parseApiTime('2023-11-14T22:13:20Z', 'time')).toBe(1_700_000_000_000);
    expect(parseApiTime('2023-11-14T23:13:20.250+01:00', 'time')).toBe(1_700_000_000_250);
    expect(() => parseApiTime('yesterday', 'start')).toThrow(new BadDataError('invalid parameter "start": cannot parse "yesterday" to a valid timestamp'));
  });

  it('parses steps as float seconds or durations', () => {
    expect(parseApiDuration('15', 'step')).toBe(15_000);
    expect(parseApiDuration('0.5', 'step')).toBe(500);
    expect(parseApiDuration('1m30s', 'step')).toBe(90_000);
    expect(() => parseApiDuration('1x', 'step')).toThrow(/cannot parse "1x" to a valid duration/);
  });

  it('formats values like Go strconv.FormatFloat(v, f, -1)', () => {
    expect([NaN, Infinity, -Infinity, 1, 0.1, -2.5].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '1', '0.1', '-2.5']);
    expect(formatValue(1e21)).toBe('1000000000000000000000');
    expect(formatValue(1.5e-7)).toBe('0.00000015');
  });
});
