import type { GenSeries } from './promql-oracle.js';

/** Start of the generated data: a multiple of 15 s; samples sit at +3 s so no step or range edge lands on one. */
export const DATA_T0 = 1_699_999_995_000;
/** Scrape interval of the generated data. */
export const DATA_STEP = 15_000;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deterministic data set for differential tests: counters with resets, gauges, classic histograms,
 * info metrics for group_left, and a series that stops (for absent and staleness by lookback).
 */
export function generateDiffData(points = 240, seed = 42): GenSeries[] {
  const rnd = prng(seed);
  const out: GenSeries[] = [];
  const ts = Array.from({ length: points }, (_, i) => DATA_T0 + 3000 + i * DATA_STEP);
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  for (const job of ['api', 'web']) {
    for (let inst = 0; inst < 5; inst++) {
      const instance = `host-${inst}:9100`;
      for (const method of ['GET', 'POST']) {
        for (const code of ['200', '500']) {
          let c = Math.floor(rnd() * 1000) + 500;
          const resetAt = rnd() < 0.3 ? Math.floor(points / 3 + rnd() * (points / 3)) : -1;
          const v: number[] = [];
          for (let i = 0; i < points; i++) {
            if (i === resetAt) c = Math.floor(rnd() * 5);
            else c += Math.floor(rnd() * (code === '200' ? 50 : 5));
            v.push(c);
          }
          out.push({ labels: { __name__: 'vt_requests_total', job, instance, method, code }, t: ts, v });
        }
      }
      let g = rnd() * 100 - 20;
      const gv: number[] = [];
      for (let i = 0; i < points; i++) {
        g += rnd() * 4 - 2;
        gv.push(round(g));
      }
      out.push({ labels: { __name__: 'vt_temperature_celsius', job, instance }, t: ts, v: gv });
      const mem: number[] = [];
      for (let i = 0; i < points; i++) mem.push(Math.floor(1e8 + rnd() * 5e7 + i * 1e5));
      out.push({ labels: { __name__: 'vt_memory_bytes', job, instance, area: 'heap' }, t: ts, v: mem });
      out.push({ labels: { __name__: 'vt_up', job, instance }, t: ts, v: ts.map(() => (rnd() < 0.9 ? 1 : 0)) });
      out.push({ labels: { __name__: 'vt_build_info', job, instance, version: `1.${inst % 3}.0` }, t: ts, v: ts.map(() => 1) });
      const les = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
      const counts = les.map(() => 0);
      const bucketVals = les.map(() => [] as number[]);
      const sum: number[] = [];
      let total = 0;
      for (let i = 0; i < points; i++) {
        const n = Math.floor(rnd() * 20);
        for (let k = 0; k < n; k++) {
          const x = rnd() ** 2 * 3;
          total += x;
          for (let b = 0; b < les.length; b++) if (les[b] === '+Inf' || x <= Number(les[b])) counts[b]!++;
        }
        for (let b = 0; b < les.length; b++) bucketVals[b]!.push(counts[b]!);
        sum.push(round(total, 6));
      }
      les.forEach((le, b) =>
        out.push({ labels: { __name__: 'vt_latency_seconds_bucket', job, instance, le }, t: ts, v: bucketVals[b]! }),
      );
      out.push({ labels: { __name__: 'vt_latency_seconds_count', job, instance }, t: ts, v: bucketVals[les.length - 1]! });
      out.push({ labels: { __name__: 'vt_latency_seconds_sum', job, instance }, t: ts, v: sum });
    }
  }
  // A series that stops half-way, and one with negative and fractional values.
  const half = Math.floor(points / 2);
  out.push({ labels: { __name__: 'vt_batch_last_success', job: 'batch' }, t: ts.slice(0, half), v: ts.slice(0, half).map((t) => t / 1000) });
  out.push({ labels: { __name__: 'vt_signal', job: 'lab' }, t: ts, v: ts.map((_, i) => round(Math.sin(i / 7) * 3.5 - 0.25, 4)) });
  return out;
}
