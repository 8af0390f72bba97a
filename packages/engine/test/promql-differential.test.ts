import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from '@vigil/test-support';
import { createPromqlEngine } from '../src/promql/engine.js';
import type { QueryValue } from '../src/model/values.js';
import { keyOf } from '../src/promql/eval-types.js';
import { DATA_STEP, DATA_T0, generateDiffData } from './promql-diff-data.js';
import { createSeriesStore } from '../src/index.js';
import { prometheusAvailable, startOracle, type Oracle } from './promql-oracle.js';

// Differential test against the real Prometheus (2.42 here). Samples sit at T0+15k+3 s and every
// evaluation time at T0+15k+10 s, so no range or lookback edge coincides with a sample: there
// 2.x's closed ranges and 3.x's left-open ones agree.

const C = 'vt_requests_total';
const G = 'vt_temperature_celsius';
const S = 'vt_signal';
const M = 'vt_memory_bytes';
const H = 'vt_latency_seconds_bucket';
const AT = (DATA_T0 + 100 * DATA_STEP + 10_000) / 1000;

function expressions(): string[] {
  const out: string[] = [];
  const rangeFns = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'avg_over_time', 'sum_over_time', 'count_over_time', 'min_over_time', 'max_over_time', 'last_over_time', 'present_over_time', 'stddev_over_time', 'stdvar_over_time', 'absent_over_time'];
  for (const f of rangeFns) for (const sel of [C, G, S]) for (const r of ['1m', '5m', '17m']) out.push(`${f}(${sel}[${r}])`);
  out.push(`absent_over_time(nope[5m])`, `absent_over_time(${C}{job="nope",code="200"}[5m])`, 'absent_over_time(vt_batch_last_success[10m])');
  for (const q of ['0', '0.25', '0.5', '0.9', '1', '-1', '2']) out.push(`quantile_over_time(${q}, ${G}[5m])`, `quantile_over_time(${q}, ${S}[13m])`);
  out.push(`predict_linear(${G}[10m], 600)`, `predict_linear(${S}[5m], 60)`, `predict_linear(${C}[15m], 3600)`);
  out.push(`double_exponential_smoothing(${G}[10m], 0.3, 0.6)`, `double_exponential_smoothing(${S}[20m], 0.8, 0.1)`);
  const math = ['abs', 'ceil', 'floor', 'exp', 'ln', 'log2', 'log10', 'sqrt', 'sgn', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'deg', 'rad', 'round'];
  for (const f of math) out.push(`${f}(${S})`, `${f}(${G})`);
  out.push(`round(${G}, 0.5)`, `round(${S}, 0.1)`, `round(${G}, 5)`);
  out.push(`clamp(${G}, 0, 50)`, `clamp(${G}, 50, 0)`, `clamp_min(${G}, 10)`, `clamp_max(${S}, 1)`);
  for (const f of ['minute', 'hour', 'day_of_week', 'day_of_month', 'day_of_year', 'days_in_month', 'month', 'year']) out.push(`${f}()`, `${f}(vt_batch_last_success)`);
  out.push(`timestamp(${G})`, `timestamp(rate(${C}[5m]))`, 'time()', 'pi()', 'vector(1)', 'vector(time())', `scalar(sum(${G}))`, `scalar(${G})`, `${G} * scalar(vt_up{job="api",instance="host-0:9100"})`);
  out.push('absent(nope)', 'absent(vt_up{job="nope",instance="x"})', `absent(${G})`, 'absent(nope{a="b",a="c"})', 'absent(vt_batch_last_success)');
  out.push(`label_replace(${G}, "host", "$1", "instance", "(.*):.*")`, `label_replace(${G}, "job", "", "job", "api")`, `label_replace(${G}, "x", "$1-$2", "instance", "host-(\\\\d):(\\\\d+)")`, `label_join(${G}, "id", "/", "job", "instance")`, `label_join(${G}, "job", "", "nope")`);
  out.push(`sort(${G})`, `sort_desc(${G})`, `sort(rate(${C}{code="200"}[5m]))`);
  const aggs = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'];
  for (const a of aggs) {
    for (const g of ['', ' by (job)', ' without (instance)', ' by (job, code)', ' without (job, instance, method)']) {
      out.push(`${a}${g} (rate(${C}[5m]))`);
    }
    out.push(`${a} by (job) (${G})`, `${a} (${S})`, `${a} without (area) (${M})`);
  }
  out.push(`topk(3, ${G})`, `bottomk(2, ${G})`, `topk by (job) (1, ${G})`, `bottomk without (instance) (2, ${G})`, `topk(0, ${G})`, `topk(100, ${G})`);
  out.push(`quantile(0.5, ${G})`, `quantile by (job) (0.9, rate(${C}[5m]))`, `quantile(1.5, ${G})`, `quantile(0, ${S})`);
  out.push(`count_values("v", vt_up)`, `count_values by (job) ("version", vt_build_info)`, `count_values("t", round(${G}))`);
  for (const q of ['0', '0.5', '0.9', '0.99', '1']) out.push(`histogram_quantile(${q}, rate(${H}[5m]))`);
  out.push(`histogram_quantile(0.9, sum by (le) (rate(${H}[5m])))`, `histogram_quantile(0.5, sum by (job, le) (rate(${H}[10m])))`, `histogram_quantile(0.75, ${H})`);
  out.push(`${G} + 1`, `2 * ${G}`, `${G} / ${G}`, `${C} - ${C} offset 5m`, `${G} % 7`, `${G} ^ 2`, `2 ^ ${S}`, `${S} atan2 0.5`, `0.5 atan2 ${S}`, `${G} / 0`, `-${G} % 3`);
  for (const op of ['==', '!=', '>', '<', '>=', '<=']) out.push(`${G} ${op} 20`, `${G} ${op} bool 20`, `20 ${op} ${G}`, `${S} ${op} ${S} offset 1m`, `${S} ${op} bool ${S} offset 1m`, `1 ${op} bool 2`);
  out.push(`rate(${C}[5m]) / on(job, instance, method, code) rate(${C}[5m])`);
  out.push(`sum by (job, instance) (rate(${C}[5m])) * on(job, instance) group_left(version) vt_build_info`);
  out.push(`vt_build_info * on(job, instance) group_right(version) sum by (job, instance) (rate(${C}[5m]))`);
  out.push(`rate(${C}[5m]) / ignoring(code) group_left sum without (code) (rate(${C}[5m]))`);
  out.push(`${G} * ignoring(area) group_left ${M} / 1e6`, `${M} * on(job, instance) group_left(version) vt_build_info`);
  out.push(`vt_up == 1 and ${G}`, `${G} unless vt_up == 0`, `${G} or ${M}`, `${G} and on(job) vt_up`, `${M} unless ignoring(area) ${G}`, `${G} > 30 or ${G} < 0`, `(${G} and vt_up == 1) or vt_up`);
  out.push('1 + 2 * 3 ^ 2', `-${G} ^ 2`, `- ${G}`, `${G} * -1`, `(${G} + 1) / 2`, '2 ^ 3 ^ 2', '-2 ^ 2', '10 % 3 - 1 / 4', `+${G}`);
  out.push(`${G} offset 5m`, `rate(${C}[5m] offset 10m)`, `${G} @ ${AT}`, `rate(${C}[5m] @ ${AT})`, `${G} @ start()`, `${G} @ end() offset 1m`, `sum(${G} @ ${AT}) - sum(${G})`);
  out.push(`max_over_time(rate(${C}[5m])[20m:1m])`, `avg_over_time(${G}[10m:30s])`, `max_over_time(deriv(${G}[5m])[30m:])`, `rate(${C}[5m:1m])`, `sum_over_time(${G}[15m:1m] offset 5m)`, `min_over_time(sum by (job) (${G})[10m:2m] @ ${AT})`, `count_over_time(${G}[7m:45s])`);
  out.push('vt_batch_last_success', 'time() - vt_batch_last_success', `count(${G}) by (job)`, `sum(${G}) without (instance) > 100`, `count(count by (version) (vt_build_info))`);
  return out;
}

/** Prometheus 2.42 predates the 3.x name of holt_winters. */
function forOracle(expr: string): string {
  return expr.replace(/double_exponential_smoothing/g, 'holt_winters');
}

/** Prometheus 3 drops the metric name for atan2 as for other arithmetic; 2.42 kept it. */
function oracleFix(expr: string, r: { type: string; series: Norm }): { type: string; series: Norm } {
  if (!expr.includes('atan2')) return r;
  return { ...r, series: r.series.map((s) => ({ ...s, labels: Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== '__name__')) })) };
}

interface PromResp {
  status: string;
  error?: string;
  data: { resultType: string; result: unknown };
}

function num(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const d = Math.abs(a - b);
  return d <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || d < 1e-12;
}

type Norm = { labels: Record<string, string>; points: [number, number][] }[];

function normOurs(v: QueryValue): { type: string; series: Norm } {
  switch (v.type) {
    case 'vector':
      return { type: 'vector', series: v.samples.map((s) => ({ labels: { ...s.labels }, points: [[s.timestamp, s.value]] })) };
    case 'scalar':
      return { type: 'scalar', series: [{ labels: {}, points: [[v.timestamp, v.value]] }] };
    case 'matrix':
      return { type: 'matrix', series: v.series.map((s) => ({ labels: { ...s.labels }, points: s.points.map((p) => [p.t, p.v]) })) };
    case 'string':
      return { type: 'string', series: [] };
  }
}

function normProm(r: PromResp): { type: string; series: Norm } {
  const d = r.data;
  if (d.resultType === 'scalar') {
    const [t, v] = d.result as [number, string];
    return { type: 'scalar', series: [{ labels: {}, points: [[Math.round(t * 1000), num(v)]] }] };
  }
  if (d.resultType === 'vector') {
    const res = d.result as { metric: Record<string, string>; value: [number, string] }[];
    return { type: 'vector', series: res.map((s) => ({ labels: s.metric, points: [[Math.round(s.value[0] * 1000), num(s.value[1])]] })) };
  }
  const res = d.result as { metric: Record<string, string>; values: [number, string][] }[];
  return { type: 'matrix', series: res.map((s) => ({ labels: s.metric, points: s.values.map(([t, v]) => [Math.round(t * 1000), num(v)]) })) };
}

function diff(ours: { type: string; series: Norm }, theirs: { type: string; series: Norm }, ordered: boolean): string | null {
  if (ours.type !== theirs.type) return `type ${ours.type} vs ${theirs.type}`;
  if (ordered) {
    // sort(): the order of values must agree; ties may list their series in any order.
    const va = ours.series.map((s) => s.points[0]![1]);
    const vb = theirs.series.map((s) => s.points[0]![1]);
    if (va.length !== vb.length || va.some((x, i) => !close(x, vb[i]!))) return `order ${va.join(',')} vs ${vb.join(',')}`;
    return diff(ours, theirs, false);
  }
  const sortS = (s: Norm) => (ordered ? s : s.slice().sort((a, b) => (keyOf(a.labels) < keyOf(b.labels) ? -1 : 1)));
  const a = sortS(ours.series);
  const b = sortS(theirs.series);
  if (a.length !== b.length) return `${a.length} series vs ${b.length}: ours ${JSON.stringify(a.map((s) => s.labels)).slice(0, 300)} theirs ${JSON.stringify(b.map((s) => s.labels)).slice(0, 300)}`;
  for (let i = 0; i < a.length; i++) {
    if (keyOf(a[i]!.labels) !== keyOf(b[i]!.labels)) return `labels ${JSON.stringify(a[i]!.labels)} vs ${JSON.stringify(b[i]!.labels)}`;
    const pa = a[i]!.points;
    const pb = b[i]!.points;
    if (pa.length !== pb.length) return `${JSON.stringify(a[i]!.labels)}: ${pa.length} points vs ${pb.length}`;
    for (let j = 0; j < pa.length; j++) {
      if (pa[j]![0] !== pb[j]![0] || !close(pa[j]![1], pb[j]![1]))
        return `${JSON.stringify(a[i]!.labels)} @${pa[j]![0]}: ${pa[j]![1]} vs ${pb[j]![0]}:${pb[j]![1]}`;
    }
  }
  return null;
}

const available = prometheusAvailable();
if (!available && isCI()) throw new Error('prometheus and promtool are required for the PromQL differential test under CI');

describe.skipIf(!available)('PromQL differential test against Prometheus', () => {
  const series = generateDiffData();
  // The engine reads the real series store, the same one the monitor scrapes into.
  const q = createSeriesStore();
  for (const s of series) for (let i = 0; i < s.t.length; i++) q.append(s.labels, s.t[i]!, s.v[i]!);
  const engine = createPromqlEngine();
  let oracle: Oracle;

  beforeAll(async () => {
    oracle = await startOracle(series);
  }, 60_000);
  afterAll(async () => {
    await oracle?.stop();
  });

  const exprs = expressions();
  const instants = [80, 120, 200, 239, 250].map((k) => DATA_T0 + k * DATA_STEP + 10_000);
  const range = { start: DATA_T0 + 80 * DATA_STEP + 10_000, end: DATA_T0 + 260 * DATA_STEP + 10_000, step: 60_000 };

  it(`agrees on ${exprs.length} expressions (≥ 300), instant and range`, async () => {
    expect(exprs.length).toBeGreaterThanOrEqual(300);
    const failures: string[] = [];
    const jobs: (() => Promise<void>)[] = [];
    for (const expr of exprs) {
      const ordered = /^sort/.test(expr);
      for (const t of instants) {
        jobs.push(async () => {
          const theirs = (await oracle.query('/api/v1/query', { query: forOracle(expr), time: String(t / 1000) })) as PromResp;
          let ours: QueryValue | Error;
          try {
            ours = engine.instantQuery(q, expr, t);
          } catch (e) {
            ours = e as Error;
          }
          if (theirs.status !== 'success') {
            if (!(ours instanceof Error)) failures.push(`${expr} @${t}: prometheus failed (${theirs.error}) but we answered`);
            return;
          }
          if (ours instanceof Error) return void failures.push(`${expr} @${t}: we failed: ${ours.message}`);
          const d = diff(normOurs(ours), oracleFix(expr, normProm(theirs)), ordered);
          if (d) failures.push(`${expr} @${t}: ${d}`);
        });
      }
      jobs.push(async () => {
        const theirs = (await oracle.query('/api/v1/query_range', {
          query: forOracle(expr),
          start: String(range.start / 1000),
          end: String(range.end / 1000),
          step: String(range.step / 1000),
        })) as PromResp;
        let ours: QueryValue | Error;
        try {
          ours = engine.rangeQuery(q, expr, range.start, range.end, range.step);
        } catch (e) {
          ours = e as Error;
        }
        if (theirs.status !== 'success') {
          if (!(ours instanceof Error)) failures.push(`${expr} range: prometheus failed (${theirs.error}) but we answered`);
          return;
        }
        if (ours instanceof Error) return void failures.push(`${expr} range: we failed: ${ours.message}`);
        const d = diff(normOurs(ours), oracleFix(expr, normProm(theirs)), false);
        if (d) failures.push(`${expr} range: ${d}`);
      });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );
    expect(failures.slice(0, 40)).toEqual([]);
  }, 90_000);
});
