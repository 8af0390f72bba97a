/**
 * PromQL query latency: vigil's engine (in-process, over createSeriesStore()) against
 * Prometheus 2.42's HTTP API on the same backfilled data, in the same run. Prints median latencies
 * and the ratio vigil/Prometheus per query. Size: BENCH_SERIES (default 10000) series ×
 * BENCH_HOURS (default 1) hours at 15 s.
 *
 *   npx tsx bench/promql.ts
 */
import { performance } from 'node:perf_hooks';
import { createPromqlEngine, createSeriesStore } from '../packages/engine/src/index.js';
import { startOracle, type GenSeries } from '../packages/engine/test/promql-oracle.js';

const SERIES = Number(process.env.BENCH_SERIES ?? 10_000);
const HOURS = Number(process.env.BENCH_HOURS ?? 1);
const STEP = 15_000;
const T0 = 1_699_999_995_000;
const points = (HOURS * 3600_000) / STEP;

const ts = Array.from({ length: points }, (_, i) => T0 + 3000 + i * STEP);
const series: GenSeries[] = [];
for (let s = 0; s < SERIES; s++) {
  let c = s;
  const v = ts.map((_, i) => (c += (s * 7 + i) % 13));
  series.push({ labels: { __name__: 'bench_requests_total', job: `job-${s % 10}`, instance: `i-${s}` }, t: ts, v });
}
const q = createSeriesStore();
for (let i = 0; i < points; i++) for (const s of series) q.append(s.labels, s.t[i]!, s.v[i]!);

console.log(`data: ${SERIES} series x ${points} samples; backfilling Prometheus...`);
const oracle = await startOracle(series);
const engine = createPromqlEngine();
const end = ts[ts.length - 1]! + 7000;
const start = end - (HOURS * 3600_000 - 10 * 60_000);
const queries = [
  { name: 'instant sum(rate[5m])', expr: 'sum(rate(bench_requests_total[5m]))', range: false },
  { name: 'instant sum by (job)(rate[5m])', expr: 'sum by (job) (rate(bench_requests_total[5m]))', range: false },
  { name: 'instant topk(5, last)', expr: 'topk(5, bench_requests_total)', range: false },
  { name: 'range sum by (job)(rate[5m]) step 60s', expr: 'sum by (job) (rate(bench_requests_total[5m]))', range: true },
  { name: 'range max(x) step 60s', expr: 'max(bench_requests_total)', range: true },
];

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rows: string[] = [];
try {
  for (const qq of queries) {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      if (qq.range) engine.rangeQuery(q, qq.expr, start, end, 60_000);
      else engine.instantQuery(q, qq.expr, end);
      ours.push(performance.now() - t);
      t = performance.now();
      if (qq.range) await oracle.query('/api/v1/query_range', { query: qq.expr, start: String(start / 1000), end: String(end / 1000), step: '60' });
      else await oracle.query('/api/v1/query', { query: qq.expr, time: String(end / 1000) });
      theirs.push(performance.now() - t);
    }
    const a = median(ours);
    const b = median(theirs);
    rows.push(`| ${qq.name} | ${a.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(a / b).toFixed(2)}x |`);
  }
} finally {
  await oracle.stop();
}
console.log('| query | vigil | Prometheus 2.42 (HTTP) | ratio |\n| --- | --- | --- | --- |');
console.log(rows.join('\n'));
