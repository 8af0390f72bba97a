import { describe, expect, it } from 'vitest';
import { expandSeriesValues } from './series-values.js';
import { isStaleNaN } from '../model/samples.js';

describe('input_series value notation', () => {
  it('expands a+bxn, a-bxn, axn, _, _xn and stale like promtool', () => {
    const v = expandSeriesValues('1 _x3 2 3x2 stale 4-1.5x2 1+1x1 Inf -Inf 1e2');
    expect(v.slice(0, 8)).toEqual([1, null, null, null, 2, 3, 3, 3]);
    expect(isStaleNaN(v[8]!)).toBe(true);
    expect(v.slice(9)).toEqual([4, 2.5, 1, 1, 2, Infinity, -Infinity, 100]);
    expect(Number.isNaN(expandSeriesValues('NaN')[0])).toBe(true);
    expect(expandSeriesValues('  _  ')).toEqual([null]);
  });

  it('rejects what is not notation', () => {
    expect(() => expandSeriesValues('1 abc')).toThrow('bad series value: "abc"');
    expect(() => expandSeriesValues('1+x3')).toThrow();
  });
});
