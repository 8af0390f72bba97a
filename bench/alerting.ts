/**
 * Alert intake and delivery: Vigil vs the real Alertmanager 0.25, in the same run.
 *
 * 1. Intake: 10,000 alerts in 1,000 groups POSTed to /api/v2/alerts (batches of 100, 4 in flight);
 *    alerts accepted per second, median of 7 rounds (new alerts, then six re-sends as Prometheus does).
 * 2. First delivery: time until every one of the 1,000 groups reached the webhook (group_wait 1s).
 * 3. Latency at 10,000 active alerts (after a 2 s pause): 30 new groups fired one by one;
 *    latency = webhook arrival − POST − group_wait.
 *
 * Both run in their own process on loopback, with the same alertmanager.yml (webhook receiver) and
 * their default persistence (Vigil: SQLite state store; Alertmanager: its data dir).
 * Run: npx tsx bench/alerting.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ALERTS = 10_000;
const GROUPS = 1_000;
const BATCH = 100;
const IN_FLIGHT = 4;
const LATENCY_SAMPLES = 30;
const INTAKE_ROUNDS = 7;
const GROUP_WAIT_MS = 1000;

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-alerting-'));
const children: ChildProcess[] = [];

interface Arrival {
  at: number;
  groups: string[];
}
const arrivals: Record<string, Arrival[]> = { vigil: [], am: [] };
const waiters: { target: string; group: string; resolve: (t: number) => void }[] = [];

const hook = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const target = req.url === '/vigil' ? 'vigil' : 'am';
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupLabels: { group?: string } };
    const group = body.groupLabels.group ?? '';
    arrivals[target]!.push({ at, groups: [group] });
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.target === target && w.group === group) {
        waiters.splice(i, 1);
        w.resolve(at);
      }
    }
    res.end();
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function config(hookPort: number, target: string): string {
  return `route:
  receiver: hook
  group_by: [group]
  group_wait: 1s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: 'http://127.0.0.1:${hookPort}/${target}'
`;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready`);
}

async function startAlertmanager(hookPort: number): Promise<string> {
  const dir = path.join(tmp, 'am');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config(hookPort, 'am'));
  const port = await freePort();
  const child = spawn('/usr/bin/prometheus-alertmanager', [`--config.file=${dir}/alertmanager.yml`, `--storage.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'], {
    stdio: 'ignore',
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`);
  return url;
}

async function startVigil(hookPort: number): Promise<string> {
  const dir = path.join(tmp, 'vigil');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), config(hookPort, 'vigil'));
  const child = spawn(process.execPath, [...(process.env.VIGIL_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIL_BENCH_PROF}`] : []), '--import', 'tsx', path.join(here, 'alerting-server.ts'), path.join(dir, 'alertmanager.yml'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`vigil bench server exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/api/v2/status`);
  return url;
}

function makeAlerts(prefix: string, n: number, groups: number, startsAt: string): object[] {
  const out: object[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      labels: { alertname: 'BenchAlert', group: `${prefix}${i % groups}`, instance: `host-${i}`, severity: i % 2 ? 'warning' : 'critical' },
      annotations: { summary: `alert ${i} of the benchmark`, description: 'CPU usage above threshold for 5 minutes' },
      startsAt,
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    });
  }
  return out;
}

async function post(url: string, body: object[]): Promise<void> {
  const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}`);
}

async function intake(url: string, alerts: object[]): Promise<number> {
  const batches: object[][] = [];
  for (let i = 0; i < alerts.length; i += BATCH) batches.push(alerts.slice(i, i + BATCH));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) await post(url, batches[next++]!);
    }),
  );
  return (alerts.length / (performance.now() - t0)) * 1000;
}

async function waitGroups(target: string, n: number, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (arrivals[target]!.length < n) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`${target}: only ${arrivals[target]!.length}/${n} groups delivered`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return arrivals[target]!.at(-1)!.at;
}

async function latency(target: string, url: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const group = `lat-${i}`;
    const arrived = new Promise<number>((resolve) => waiters.push({ target, group, resolve }));
    const t0 = performance.now();
    await post(url, [{ labels: { alertname: 'LatencyProbe', group, instance: 'x' }, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }]);
    const at = await Promise.race([arrived, new Promise<number>((_, rej) => setTimeout(() => rej(new Error(`${target}: latency probe timed out`)), 20_000))]);
    out.push(at - t0 - GROUP_WAIT_MS);
  }
  return out;
}

function median(xs: number[]): number {
  return pct(xs, 50);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as net.AddressInfo).port;
  const [amUrl, vigilUrl] = await Promise.all([startAlertmanager(hookPort), startVigil(hookPort)]);
  const results: Record<string, { rate: number; allGroupsMs: number; p50: number; p99: number; max: number }> = {};
  // Warm-up (JIT, connections), not measured: a few alerts in their own groups.
  for (const [target, url] of [['am', amUrl], ['vigil', vigilUrl]] as const) {
    await intake(url, makeAlerts('warm-', 200, 20, new Date().toISOString()));
    await waitGroups(target, 20, 20_000);
    arrivals[target]!.length = 0;
  }
  const targets = [
    ['am', amUrl],
    ['vigil', vigilUrl],
  ] as const;
  const rates: Record<string, number[]> = { am: [], vigil: [] };
  const allGroups: Record<string, number> = {};
  // Round 1 creates 10,000 alerts in 1,000 new groups (and measures their first delivery); later
  // rounds re-post them, as Prometheus re-sends active alerts. Targets alternate so noise hits both.
  for (let round = 0; round < INTAKE_ROUNDS; round++) {
    for (const [target, url] of round % 2 === 0 ? targets : [...targets].reverse()) {
      await new Promise((r) => setTimeout(r, 300)); // let the previous round's background work settle
      // startsAt is "now" for each target: an alert older than group_wait is flushed at once.
      const alerts = makeAlerts('g', ALERTS, GROUPS, new Date().toISOString());
      const t0 = performance.now();
      rates[target]!.push(await intake(url, alerts));
      if (round === 0) {
        const last = await waitGroups(target, GROUPS, 60_000);
        allGroups[target] = last - t0;
        if (process.env.VIGIL_BENCH_DEBUG) console.error(target, 'arrivals ms', [0, 0.1, 0.5, 0.9, 0.99].map((q) => (arrivals[target]![Math.floor(q * (GROUPS - 1))]!.at - t0).toFixed(0)).join(' '));
      }
    }
  }
  if (process.env.VIGIL_BENCH_DEBUG) console.error('rates', JSON.stringify(rates));
  await new Promise((r) => setTimeout(r, 2000));
  for (const [target, url] of targets) {
    const lat = await latency(target, url);
    if (process.env.VIGIL_BENCH_DEBUG) console.error(target, lat.map((x) => x.toFixed(0)).join(' '));
    results[target] = { rate: median(rates[target]!), allGroupsMs: allGroups[target]!, p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat) };
  }
  const am = results.am!;
  const vg = results.vigil!;
  const f = (n: number, d = 0) => n.toFixed(d);
  console.log(`Alert intake and delivery: ${ALERTS} alerts in ${GROUPS} groups, batches of ${BATCH}, ${IN_FLIGHT} in flight, group_wait 1s`);
  console.log('| measure | Vigil | Alertmanager 0.25 | ratio (Vigil / AM) |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| POST /api/v2/alerts, alerts accepted/s (median of ${INTAKE_ROUNDS} rounds) | ${f(vg.rate)} | ${f(am.rate)} | ${f(vg.rate / am.rate, 2)}× |`);
  console.log(`| first POST → all ${GROUPS} groups at the webhook | ${f(vg.allGroupsMs)} ms | ${f(am.allGroupsMs)} ms | ${f(vg.allGroupsMs / am.allGroupsMs, 2)}× |`);
  console.log(`| firing → webhook beyond group_wait, p50 (at ${ALERTS} active) | ${f(vg.p50, 1)} ms | ${f(am.p50, 1)} ms | ${f(vg.p50 / am.p50, 2)}× |`);
  console.log(`| same, p99 / max of ${LATENCY_SAMPLES} | ${f(vg.p99, 1)} / ${f(vg.max, 1)} ms | ${f(am.p99, 1)} / ${f(am.max, 1)} ms | ${f(vg.p99 / am.p99, 2)}× |`);
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGTERM');
  hook.close();
  await new Promise((r) => setTimeout(r, 300));
  fs.rmSync(tmp, { recursive: true, force: true });
}
