import type { Labels } from '../src/model/labels.js';
import { STALE_NAN } from '../src/model/samples.js';
import { createPromqlEngine } from '../src/promql/engine.js';
import { parsePromDuration, parsePromql } from '../src/promql/parse.js';
import { keyOf, parseGoFloat } from '../src/promql/eval-types.js';
import { createMemoryQueryable, type MemoryQueryable } from './promql-memory-queryable.js';

/**
 * A runner for Prometheus's promqltest script format (`load`, `clear`, `eval instant at`,
 * `eval_ordered`, `eval_fail`, `eval range from .. to .. step ..`), float samples only.
 * Returns one message per failed eval; an empty list means every case passed.
 */
export function runPromqlScript(script: string, name = 'script', strict = true): { evals: number; failures: string[] } {
  const lines = script.split('\n');
  const failures: string[] = [];
  let evals = 0;
  let q: MemoryQueryable = createMemoryQueryable();
  const engine = createPromqlEngine();
  let i = 0;
  const body = (): string[] => {
    const out: string[] = [];
    while (i < lines.length && /^\s+\S/.test(lines[i]!) && !lines[i]!.trim().startsWith('#')) out.push(lines[i++]!.trim());
    return out;
  };
  while (i < lines.length) {
    const raw = lines[i]!;
    const line = raw.trim();
    const lineNo = i + 1;
    i++;
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'clear') {
      q = createMemoryQueryable();
      continue;
    }
    let m = /^load (\S+)$/.exec(line);
    if (m) {
      const step = dur(m[1]!);
      for (const l of body()) {
        if (l.includes('{{')) continue; // native histograms are out of scope
        let parsed;
        try {
          parsed = splitSeries(l);
        } catch (e) {
          if (strict) throw e;
          continue;
        }
        const { labels, rest } = parsed;
        expandValues(rest).forEach((v, k) => {
          if (v === 'stale') q.add(labels, k * step, STALE_NAN);
          else if (v !== undefined) q.add(labels, k * step, v);
        });
      }
      continue;
    }
    m = /^(eval|eval_ordered|eval_fail) instant at (\S+) (.+)$/.exec(line);
    if (m) {
      evals++;
      const [, kind0, at, expr] = m as unknown as [string, string, string, string];
      const lines0 = body();
      const kind = lines0.some((l) => l.startsWith('expect fail')) ? 'eval_fail' : kind0;
      const expected = lines0.filter((l) => !l.startsWith('expect'));
      const where = `${name}:${lineNo}: ${expr} @ ${at}`;
      let got;
      try {
        got = engine.instantQuery(q, expr, dur(at));
      } catch (e) {
        if (kind !== 'eval_fail') failures.push(`${where}: unexpected error ${(e as Error).message}`);
        continue;
      }
      if (kind === 'eval_fail') {
        failures.push(`${where}: expected an error`);
        continue;
      }
      if (got.type === 'scalar' || got.type === 'string') {
        const want = expected[0] ?? '';
        const ok = got.type === 'scalar' ? close(got.value, num(want)) : JSON.stringify(got.value) === want;
        if (!ok) failures.push(`${where}: got ${got.value}, want ${want}`);
        continue;
      }
      const actual =
        got.type === 'vector'
          ? got.samples.map((s) => ({ labels: s.labels, vals: [s.value] }))
          : got.series.map((s) => ({ labels: s.labels, vals: s.points.map((p) => p.v) }));
      if (expected.some((l) => l.includes('{{'))) continue;
      let want;
      try {
        want = expected.map((l) => {
          const { labels, rest } = splitSeries(l);
          return { labels, vals: expandValues(rest).map((v) => (v === 'stale' ? undefined : v)) };
        });
      } catch (e) {
        if (strict) throw e;
        continue;
      }
      const d = compare(actual, want, kind === 'eval_ordered');
      if (d) failures.push(`${where}: ${d}`);
      continue;
    }
    m = /^(eval|eval_fail) range from (\S+) to (\S+) step (\S+) (.+)$/.exec(line);
    if (m) {
      evals++;
      const [, kind0, from, to, step, expr] = m as unknown as [string, string, string, string, string, string];
      const lines0 = body();
      const kind = lines0.some((l) => l.startsWith('expect fail')) ? 'eval_fail' : kind0;
      const expected = lines0.filter((l) => !l.startsWith('expect'));
      const where = `${name}:${lineNo}: range ${expr}`;
      let got;
      try {
        got = engine.rangeQuery(q, expr, dur(from), dur(to), dur(step));
      } catch (e) {
        if (kind !== 'eval_fail') failures.push(`${where}: unexpected error ${(e as Error).message}`);
        continue;
      }
      if (kind === 'eval_fail') {
        failures.push(`${where}: expected an error`);
        continue;
      }
      if (got.type !== 'matrix') throw new Error('range query returned ' + got.type);
      const start = dur(from);
      const st = dur(step);
      const actual = got.series.map((s) => {
        const vals: (number | undefined)[] = [];
        for (const p of s.points) vals[(p.t - start) / st] = p.v;
        return { labels: s.labels, vals };
      });
      if (expected.some((l) => l.includes('{{'))) continue;
      let want;
      try {
        want = expected.map((l) => {
          const { labels, rest } = splitSeries(l);
          return { labels, vals: expandValues(rest).map((v) => (v === 'stale' ? undefined : v)) };
        });
      } catch (e) {
        if (strict) throw e;
        continue;
      }
      const d = compare(actual, want, false);
      if (d) failures.push(`${where}: ${d}`);
      continue;
    }
    if (strict) throw new Error(`${name}:${lineNo}: cannot read ${JSON.stringify(line)}`);
    body();
  }
  return { evals, failures };
}

function dur(s: string): number {
  const d = parsePromDuration(s);
  if (d !== null) return d;
  return Number(s) * 1000;
}

function num(s: string): number {
  const v = parseGoFloat(s);
  if (Number.isNaN(v) && s.toLowerCase() !== 'nan') throw new Error(`bad number ${s}`);
  return v;
}

function close(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

function splitSeries(line: string): { labels: Labels; rest: string } {
  const close = line.indexOf('}');
  const cut = close >= 0 ? close + 1 : line.search(/\s/);
  const head = cut < 0 ? line : line.slice(0, cut);
  const rest = cut < 0 ? '' : line.slice(cut).trim();
  if (head === '{}') return { labels: {}, rest };
  const e = parsePromql(head);
  if (e.kind !== 'vectorSelector') throw new Error(`not a series: ${head}`);
  const labels: Record<string, string> = {};
  for (const m of e.matchers) labels[m.name] = m.value;
  return { labels, rest };
}

/** Expands promqltest value notation: `1 2 _ stale 0+10x3 5x2 _x3 -1-1x2`. */
function expandValues(s: string): (number | undefined | 'stale')[] {
  const out: (number | undefined | 'stale')[] = [];
  for (const tok of s.split(/\s+/).filter(Boolean)) {
    if (tok === '_') out.push(undefined);
    else if (tok === 'stale') out.push('stale');
    else {
      const m = /^(_|[-+]?[^-+x]+?)(?:([-+])([^x]+))?x(\d+)$/.exec(tok);
      if (m) {
        const n = Number(m[4]);
        if (m[1] === '_') {
          for (let k = 0; k < n; k++) out.push(undefined);
          continue;
        }
        const start = num(m[1]!);
        const inc = m[2] ? (m[2] === '-' ? -1 : 1) * num(m[3]!) : 0;
        for (let k = 0; k <= n; k++) out.push(start + inc * k);
      } else out.push(num(tok));
    }
  }
  return out;
}

function compare(
  actual: { labels: Labels; vals: (number | undefined)[] }[],
  want: { labels: Labels; vals: (number | undefined)[] }[],
  ordered: boolean,
): string | null {
  if (actual.length !== want.length) {
    return `got ${actual.length} series ${JSON.stringify(actual.map((a) => a.labels))}, want ${want.length} ${JSON.stringify(want.map((a) => a.labels))}`;
  }
  const byKey = new Map(actual.map((a, idx) => [keyOf(a.labels), { a, idx }]));
  for (let k = 0; k < want.length; k++) {
    const w = want[k]!;
    const hit = byKey.get(keyOf(w.labels));
    if (!hit) return `missing series ${JSON.stringify(w.labels)}; got ${JSON.stringify(actual.map((a) => a.labels))}`;
    if (ordered && hit.idx !== k) return `series ${JSON.stringify(w.labels)} at position ${hit.idx}, want ${k}`;
    const len = Math.max(w.vals.length, hit.a.vals.length);
    for (let j = 0; j < len; j++) {
      if (!close(hit.a.vals[j], w.vals[j])) return `${JSON.stringify(w.labels)}[${j}]: got ${hit.a.vals[j]}, want ${w.vals[j]}`;
    }
  }
  return null;
}
