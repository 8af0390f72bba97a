// bench/monitor.ts — scraping + rule evaluation cost: Vigil vs Prometheus 2.42 on the same targets.
// Anchor: the real `prometheus` binary scraping the same 1,000-series targets and evaluating the same
// rule pack (rules/vigil-default.rules.yml), measured in the same run. Both run as separate processes;
// CPU seconds come from /proc/<pid>/stat (utime+stime), memory from VmRSS, over a window after warm-up.
// The interval is shortened to 1 s to measure in seconds what 15 s would take in minutes; the figures
// are then scaled: targets-per-core at 15 s = 15 s / (CPU seconds per target per scrape+eval).
// Rounds alternate which process goes first; the table shows medians over rounds. For Vigil the
// V8 heap (used/total) and external memory at the end of the window show where its RSS goes.
// Run: npx tsx bench/monitor.ts [targets=20] [seconds=30] [rounds=3]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = Number(process.argv[2] ?? 20);
const SECONDS = Number(process.argv[3] ?? 30);
const ROUNDS = Number(process.argv[4] ?? 3);
const WARMUP = 8;
const CLK_TCK = 100;

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null) return;
  c.kill('SIGTERM');
  await Promise.race([new Promise((r) => c.once('exit', r)), sleep(5000).then(() => c.kill('SIGKILL'))]);
}

interface Result {
  name: string;
  cpu: number;
  rss: number;
  series: number;
  /** Vigil only: its own figures at the end of the window (MiB), from /metrics. */
  heap?: { used: number; total: number; external: number };
}

async function measure(name: string, child: ChildProcess, ready: () => Promise<boolean>, series: () => Promise<number>, heap?: () => Promise<Result['heap']>): Promise<Result> {
  for (let i = 0; i < 200 && !(await ready().catch(() => false)); i++) await sleep(100);
  await sleep(WARMUP * 1000);
  const c0 = cpuSeconds(child.pid!);
  let rssMax = 0;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000);
    rssMax = Math.max(rssMax, rssBytes(child.pid!));
  }
  const cpu = cpuSeconds(child.pid!) - c0;
  const n = await series().catch(() => 0);
  const h = await heap?.().catch(() => undefined);
  await stop(child);
  return { name, cpu, rss: rssMax, series: n, ...(h ? { heap: h } : {}) };
}

const targetsProc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'monitor-targets.ts'), String(TARGETS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const firstPort = await new Promise<number>((resolve) => targetsProc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
const targetList = Array.from({ length: TARGETS }, (_, i) => `'127.0.0.1:${firstPort + i}'`).join(', ');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-'));
const rules = path.join(root, 'rules', 'vigil-default.rules.yml');
const scrapeYaml = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: fleet\n    static_configs:\n      - targets: [${targetList}]\nrule_files:\n  - ${rules}\n`;

async function selfMetric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return Number(m?.[1] ?? 0);
}

async function query(base: string, expr: string): Promise<number> {
  const r = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { data: { result: { value: [number, string] }[] } };
  return Number(r.data.result[0]?.value[1] ?? 0);
}

// Like Prometheus (which always keeps its TSDB on disk), Vigil persists its series (snapshot + WAL) and
// alert state under a data dir; BENCH_MEMORY_ONLY=1 runs it without one.
async function runVigil(round: number): Promise<Result> {
  const port = await freePort();
  const storage = process.env.BENCH_MEMORY_ONLY === '1' ? '' : `storage:\n  data_dir: ${path.join(dir, `vigil-${round}`)}\n`;
  writeFileSync(path.join(dir, 'vigil.yml'), `${scrapeYaml}server:\n  port: ${port}\n${storage}`);
  const child = spawn(process.execPath, [path.join(root, 'packages', 'server', 'bin', 'vigil.mjs'), 'start', '--config', path.join(dir, 'vigil.yml')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const mib = async (name: string): Promise<number> => (await selfMetric(base, name)) / 2 ** 20;
  return measure('vigil', child, async () => (await query(base, 'count(up == 1)')) === TARGETS, () => selfMetric(base, 'vigil_tsdb_head_series'), async () => ({
    used: await mib('nodejs_heap_size_used_bytes'),
    total: await mib('nodejs_heap_size_total_bytes'),
    external: await mib('nodejs_external_memory_bytes'),
  }));
}

async function runPrometheus(round: number): Promise<Result> {
  const port = await freePort();
  writeFileSync(path.join(dir, 'prometheus.yml'), scrapeYaml);
  const child = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, `prom-${round}`)}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  return measure('prometheus 2.42', child, async () => (await query(base, 'count(up == 1)')) === TARGETS, () => selfMetric(base, 'prometheus_tsdb_head_series'));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const vigilRuns: Result[] = [];
const promRuns: Result[] = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    vigilRuns.push(await runVigil(round));
    promRuns.push(await runPrometheus(round));
  } else {
    promRuns.push(await runPrometheus(round));
    vigilRuns.push(await runVigil(round));
  }
  const v = vigilRuns.at(-1)!;
  const p = promRuns.at(-1)!;
  console.log(`round ${round + 1}: vigil CPU ${v.cpu.toFixed(2)} s RSS ${(v.rss / 2 ** 20).toFixed(0)} MiB (heap ${v.heap?.used.toFixed(0)}/${v.heap?.total.toFixed(0)} MiB, external ${v.heap?.external.toFixed(0)} MiB) | prometheus CPU ${p.cpu.toFixed(2)} s RSS ${(p.rss / 2 ** 20).toFixed(0)} MiB | ratios CPU ${(v.cpu / p.cpu).toFixed(2)}x RSS ${(v.rss / p.rss).toFixed(2)}x`);
}
const summary = (name: string, runs: Result[]): Result => ({ name, cpu: median(runs.map((r) => r.cpu)), rss: median(runs.map((r) => r.rss)), series: median(runs.map((r) => r.series)) });
const results = [summary('vigil', vigilRuns), summary('prometheus 2.42', promRuns)];
await stop(targetsProc);

console.log(`targets: ${TARGETS} x 1,000 series, scrape + rule evaluation every 1 s, window ${SECONDS} s after ${WARMUP} s warm-up, median of ${ROUNDS} alternating rounds, vigil ${process.env.BENCH_MEMORY_ONLY === '1' ? 'in memory only' : 'with a data dir'}`);
console.log('| process | CPU s in window | CPU s per target-scrape | targets per core at 15 s | RSS MiB | RSS MiB per 10k series | series |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const perScrape = r.cpu / (TARGETS * SECONDS);
  const perCore = 15 / perScrape;
  console.log(`| ${r.name} | ${r.cpu.toFixed(2)} | ${(perScrape * 1000).toFixed(2)} ms | ${Math.round(perCore)} | ${(r.rss / 2 ** 20).toFixed(0)} | ${((r.rss / 2 ** 20) * (10_000 / Math.max(1, r.series))).toFixed(1)} | ${r.series} |`);
}
const [v, p] = results as [Result, Result];
console.log(`ratio vigil/prometheus (medians): CPU ${(v.cpu / p.cpu).toFixed(2)}x, RSS ${(v.rss / p.rss).toFixed(2)}x (target: within 2x)`);
