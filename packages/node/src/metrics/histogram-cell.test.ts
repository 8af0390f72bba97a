import { Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { canFoldHistograms, HistogramCell, promSeriesKey } from './histogram-cell.js';

const NAMES = ['method', 'route', 'status_code'] as const;
const SORTED = [...NAMES].sort();

function pair(exemplars = false) {
  const config = { name: 'h', help: 'h', labelNames: NAMES, buckets: [0.005, 0.01, 0.1, 1], registers: [], enableExemplars: exemplars };
  return { direct: new Histogram(config), folded: new Histogram(config) };
}

// Deterministic pseudo-random durations spanning every bucket, +Inf and exact bucket bounds.
function values(n: number): number[] {
  let x = 12345;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(i % 17 === 0 ? 0.01 : (x / 2 ** 31) ** 3 * 3);
  }
  return out;
}

function roundSums<T extends { values: { metricName?: string; value: number }[] }>(data: T): T {
  for (const v of data.values) if (v.metricName?.endsWith('_sum')) v.value = Number(v.value.toPrecision(12));
  return data;
}

describe('HistogramCell', () => {
  it('is supported by the installed prom-client', () => {
    expect(canFoldHistograms()).toBe(true);
  });

  it('computes the series key prom-client uses', () => {
    const h = new Histogram({ name: 'k', help: 'k', labelNames: NAMES, registers: [] });
    const labels = { status_code: '200', method: 'GET', route: '/a' };
    h.zero(labels);
    expect(Object.keys((h as unknown as { hashMap: object }).hashMap)).toEqual([promSeriesKey(SORTED, labels)]);
  });

  it('folds to exactly what prom-client observe() records, over several folds and series', async () => {
    const { direct, folded } = pair();
    const series = [
      { method: 'GET', route: '/a', status_code: '200' },
      { method: 'POST', route: '/b', status_code: '500' },
    ];
    const cells = series.map((labels) => new HistogramCell(folded as never, labels, SORTED));
    const vs = values(2000);
    vs.forEach((v, i) => {
      direct.observe(series[i % 2]!, v);
      cells[i % 2]!.observe(v);
      if (i % 700 === 0) cells.forEach((c) => c.fold());
    });
    cells.forEach((c) => c.fold());
    cells.forEach((c) => c.fold()); // nothing pending: no change
    // Sums are added in a different grouping (per fold), so they agree to rounding; counts and buckets exactly.
    expect(roundSums(await folded.get())).toEqual(roundSums(await direct.get()));
    expect(cells[0]!.count).toBe(0);
  });

  it('recreates a series the histogram lost in reset()', async () => {
    const { direct, folded } = pair();
    const labels = { method: 'GET', route: '/a', status_code: '200' };
    const cell = new HistogramCell(folded as never, labels, SORTED);
    cell.observe(0.2);
    cell.fold();
    folded.reset();
    cell.observe(0.003);
    cell.fold();
    direct.observe(labels, 0.003);
    expect(await folded.get()).toEqual(await direct.get());
  });

  it('rejects non-finite values like prom-client', () => {
    const cell = new HistogramCell(pair().folded as never, { method: 'GET', route: '/', status_code: '200' }, SORTED);
    expect(() => cell.observe(Number.NaN)).toThrow(TypeError);
    expect(cell.count).toBe(0);
  });

  it('keeps the newest exemplar per bucket with the time it was observed', async () => {
    const { folded } = pair(true);
    const labels = { method: 'GET', route: '/a', status_code: '200' };
    const cell = new HistogramCell(folded as never, labels, SORTED);
    const before = Date.now() / 1000;
    cell.exemplar(cell.observe(0.05), 0.05, 'trace-1', 'span-1');
    cell.exemplar(cell.observe(0.07), 0.07, 'trace-2', 'span-2');
    cell.exemplar(cell.observe(5), 5, 'trace-3', 'span-3');
    cell.observe(0.001);
    const observedAt = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 20));
    cell.fold();
    const data = await folded.get();
    const bucket = (le: number | string) => data.values.find((v) => v.metricName === 'h_bucket' && (v.labels as Record<string, unknown>).le === le) as unknown as { value: number; exemplar: { labelSet: object; value: number; timestamp: number } | null };
    expect(bucket(0.1).value).toBe(3);
    expect(bucket(0.1).exemplar).toMatchObject({ labelSet: { trace_id: 'trace-2', span_id: 'span-2' }, value: 0.07 });
    expect(bucket(0.1).exemplar!.timestamp).toBeGreaterThanOrEqual(before);
    expect(bucket(0.1).exemplar!.timestamp).toBeLessThanOrEqual(observedAt);
    expect(bucket('+Inf').exemplar).toMatchObject({ labelSet: { trace_id: 'trace-3' }, value: 5 });
    expect(bucket(0.005).exemplar ?? null).toBeNull();
  });
});
