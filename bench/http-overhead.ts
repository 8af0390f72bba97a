/**
 * Bench: HTTP overhead of Vigil's metrics + request logging.
 *
 * Hello-world Fastify and Express apps (one templated route, `GET /users/:id` → small JSON), each measured:
 * bare (the anchor), with Vigil (RED metrics + one pino request line per request, serialised and then discarded in-process; the `-ctx`
 * rows add the AsyncLocalStorage request context), and with the ecosystem's usual middleware (fastify-metrics 13 / express-prom-bundle 8). Target:
 * Vigil on Fastify ≥ 92 % of bare.
 *
 * Each server runs in its own child process (this file with `--serve <kind>`), the load generator in or beside this
 * one. By default servers take turns under autocannon, rounds alternating so machine noise hits them alike; reported
 * per server: the median req/s, the median and spread of the per-round ratio to bare, and the server's CPU time per
 * request. PIN=1 puts the servers on the last core and the load generator on the others; LOADGEN=wrk uses wrk, which
 * can saturate a pinned server where autocannon cannot. PAIRED=1 (the figure to go by on a noisy machine) loads each
 * server at the same time as its bare anchor, both on one core (see PAIRED below). A last section times the Fastify
 * apps in-process with `inject()`, interleaving single requests.
 * Run: npx tsx bench/http-overhead.ts  (about 3 minutes; ROUNDS, SECONDS, KINDS, INJECT_REQUESTS, PIN, LOADGEN,
 * PAIRED, BASELINE)
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ALL_KINDS = ['fastify-bare', 'fastify-vigil', 'fastify-vigil-ctx', 'fastify-metrics', 'express-bare', 'express-vigil', 'express-vigil-ctx', 'express-prom-bundle', 'fastify-vigil-metrics-only', 'fastify-vigil-log-only', 'fastify-vigil-baseline', 'fastify-bare-twin'] as const;
type Kind = (typeof ALL_KINDS)[number];
// KINDS=a,b,... runs a subset; the diagnostic rows (metrics only, log only, the baseline, and `fastify-bare-twin`, a
// second bare server whose ratio to bare shows the method's own bias and noise) run only when asked for.
const KINDS: readonly Kind[] = process.env.KINDS ? (process.env.KINDS.split(',') as Kind[]) : ALL_KINDS.slice(0, 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 4);
const CONNECTIONS = 50;
// Read once, before this process pins itself: os.availableParallelism() follows the affinity mask, so asked later it
// would say 1 and put the servers on the load generator's core.
const CORES = os.availableParallelism();
const PIN = (process.env.PIN === '1' || process.env.PAIRED === '1') && CORES > 1;
// LOADGEN=wrk: wrk (C, Debian package `wrk`) instead of autocannon as the load generator. It spends a fraction of
// autocannon's CPU per request, so with PIN=1 the server's core is saturated and req/s measures its capacity.
// PAIRED=1 (implies PIN=1 and LOADGEN=wrk): each server is loaded at the same time as its bare anchor, both servers
// on the same core, two wrk processes on the other. The scheduler splits the core's time evenly between the two busy
// servers, so the ratio of their req/s is the ratio of their costs per request, measured in the same seconds: the
// machine's own swings (a factor of 2 between rounds here) hit both alike instead of one round each.
const PAIRED = process.env.PAIRED === '1' && CORES > 1;
const LOADGEN = process.env.LOADGEN === 'wrk' || PAIRED ? 'wrk' : 'autocannon';

// ---------------------------------------------------------------- server side (child process)

// The discarding destination: lines are fully serialised by pino, then dropped in-process (no syscall per line).
const DISCARD = { write: (_line: string) => undefined };

// BASELINE=<checkout>: the `fastify-vigil-baseline` row loads @vigil/node from another checkout (say, the previous
// commit in a git worktree), so an optimisation is measured against the code before it in the same run.
const BASELINE = process.env.BASELINE;

async function vigilParts(withContext: boolean, parts: 'all' | 'metrics' | 'log' = 'all', baseline = false) {
  if (baseline && !BASELINE) throw new Error('fastify-vigil-baseline needs BASELINE=<path of another checkout>');
  const node = (baseline ? await import(`${BASELINE}/packages/node/src/index.ts`) : await import('@vigil/node')) as typeof import('@vigil/node');
  const registry = node.createMetricsRegistry();
  const context = node.createRequestContextStore();
  const logger = node.createLogger({ service: 'bench', environment: 'production', context: withContext ? context : undefined, destination: DISCARD });
  const metrics = node.createHttpMetrics({ registry });
  // `-ctx` rows add the AsyncLocalStorage request context (request_id etc. on every log line of the handler too).
  if (parts === 'metrics') return { node, options: { metrics } };
  if (parts === 'log') return { node, options: { logger } };
  return { node, options: withContext ? { metrics, logger, context } : { metrics, logger } };
}

async function buildFastify(kind: Kind) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  if (kind.startsWith('fastify-vigil')) {
    const { node, options } = await vigilParts(kind.endsWith('-ctx'), kind.endsWith('metrics-only') ? 'metrics' : kind.endsWith('log-only') ? 'log' : 'all', kind.endsWith('-baseline'));
    await app.register(node.createFastifyPlugin(options));
  } else if (kind === 'fastify-metrics') {
    const { default: fastifyMetrics } = await import('fastify-metrics');
    await app.register(fastifyMetrics as never, { endpoint: '/metrics' });
  }
  app.get('/users/:id', async (req) => ({ hello: 'world', id: (req.params as { id: string }).id }));
  await app.ready();
  return app;
}

async function serve(kind: Kind): Promise<void> {
  let port: number;
  if (kind.startsWith('fastify')) {
    const app = await buildFastify(kind);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  } else {
    const { default: express } = await import('express');
    const app = express();
    if (kind.startsWith('express-vigil')) {
      const { node, options } = await vigilParts(kind.endsWith('-ctx'));
      app.use(node.createExpressMiddleware(options) as never);
    } else if (kind === 'express-prom-bundle') {
      const { default: promBundle } = await import('express-prom-bundle');
      app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
    }
    app.get('/users/:id', (req, res) => void res.json({ hello: 'world', id: req.params.id }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  }
  process.send!({ port });
  process.on('message', (m) => {
    if (m === 'exit') process.exit(0);
    // CPU time this server has used so far, for the per-request CPU cost (less sensitive to machine load than req/s).
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cpuMicros: u.user + u.system });
    }
  });
}

// ---------------------------------------------------------------- load side

interface Child {
  proc: ChildProcess;
  port: number;
}

function serverCpu(child: Child): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { cpuMicros?: number }) => {
      if (m.cpuMicros === undefined) return;
      child.proc.off('message', onMessage);
      resolve(m.cpuMicros);
    };
    child.proc.on('message', onMessage);
    child.proc.send('cpu');
  });
}

async function start(kind: Kind): Promise<Child> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind];
  // PIN=1: servers on the last core, the load generator (this process) on the others, so that autocannon
  // never takes CPU from the server under test: throughput then measures the server's own cost per request.
  const proc = PIN
    ? spawn('taskset', ['-c', String(CORES - 1), process.execPath, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { proc, port };
}

interface LoadResult {
  rps: number;
  total: number;
  p99: number;
  errors: number;
}

async function runAutocannon(url: string, seconds: number): Promise<LoadResult> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return { rps: r.requests.average, total: r.requests.total, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Runs wrk (one thread, same connections) and reads its summary: requests, req/s, p99 latency, errors. */
function runWrk(url: string, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url], (error, stdout) => {
      if (error) return reject(new Error(`wrk failed (is the Debian package wrk installed?): ${error.message}`));
      const total = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
      const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
      const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const socketErrorCount = socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
      if (!Number.isFinite(total) || !Number.isFinite(rps)) return reject(new Error(`unreadable wrk output:\n${stdout}`));
      resolve({ rps, total, p99: p99Ms, errors: Number(errors?.[1] ?? 0) + socketErrorCount });
    });
  });
}

async function load(child: Child, seconds: number): Promise<{ rps: number; p99: number; errors: number; cpuPerRequest: number }> {
  const cpuBefore = await serverCpu(child);
  const url = `http://127.0.0.1:${child.port}/users/42`;
  const r = LOADGEN === 'wrk' ? await runWrk(url, seconds) : await runAutocannon(url, seconds);
  const cpu = (await serverCpu(child)) - cpuBefore;
  return { rps: r.rps, p99: r.p99, errors: r.errors, cpuPerRequest: cpu / Math.max(1, r.total) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  if (PIN) execFileSync('taskset', ['-cp', `0-${CORES - 2}`, String(process.pid)], { stdio: 'ignore' });
  const children = new Map<Kind, Child>();
  for (const kind of KINDS) children.set(kind, await start(kind));
  try {
    for (const kind of KINDS) await load(children.get(kind)!, 1); // warm-up (JIT)
    if (PAIRED) {
      await pairedRounds(children);
      await injectSection();
      return;
    }
    const results = new Map<Kind, { rps: number[]; p99: number[]; cpu: number[]; errors: number }>(KINDS.map((k) => [k, { rps: [], p99: [], cpu: [], errors: 0 }]));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order each round so no server always runs first.
      const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) {
        const r = await load(children.get(kind)!, SECONDS);
        const acc = results.get(kind)!;
        acc.rps.push(r.rps);
        acc.p99.push(r.p99);
        acc.cpu.push(r.cpuPerRequest);
        acc.errors += r.errors;
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
    }
    console.log(`\nHTTP overhead (${LOADGEN}${PIN ? ', pinned' : ''}): ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s, GET /users/:id\n`);
    console.log('| server | req/s (median) | p99 ms (median) | throughput ratio to bare: median (min–max of rounds) | server CPU µs/request (median) | CPU ratio: bare CPU / this CPU | errors |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const kind of KINDS) {
      const acc = results.get(kind)!;
      const bare = results.get(anchorOf(kind));
      // Ratio per round (same moment, same noise), then the median and spread of those.
      const ratios = bare ? acc.rps.map((v, i) => (v / bare.rps[i]!) * 100) : [];
      const ratio = bare ? `${median(ratios).toFixed(1)} % (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)})` : 'n/a (no bare run)';
      const cpuRatio = bare ? `${((median(bare.cpu) / median(acc.cpu)) * 100).toFixed(1)} %` : 'n/a';
      console.log(
        `| ${kind} | ${Math.round(median(acc.rps)).toLocaleString('en-US')} | ${median(acc.p99).toFixed(1)} | ${ratio} | ${median(acc.cpu).toFixed(1)} | ${cpuRatio} | ${acc.errors} |`,
      );
    }
    // Every round's ratio, for pooling rounds across runs (the per-run medians still swing on a shared machine).
    for (const kind of KINDS) {
      const bare = results.get(anchorOf(kind));
      if (!bare || bare === results.get(kind)) continue;
      const ratios = results.get(kind)!.rps.map((v, i) => ((v / bare.rps[i]!) * 100).toFixed(1));
      console.log(`\n${kind} per-round throughput ratios (%): ${ratios.join(', ')}`);
    }
    await injectSection();
  } finally {
    for (const c of children.values()) {
      c.proc.send('exit');
      setTimeout(() => c.proc.kill('SIGKILL'), 1000).unref();
    }
  }
}

/** The bare server a kind is compared with. */
const anchorOf = (kind: Kind): Kind => (kind.startsWith('fastify') ? 'fastify-bare' : 'express-bare');

/** PAIRED=1: every round loads each server together with its anchor (see PAIRED above) and prints the paired ratios. */
async function pairedRounds(children: Map<Kind, Child>): Promise<void> {
  const kinds = KINDS.filter((k) => anchorOf(k) !== k && children.has(anchorOf(k)));
  const results = new Map(kinds.map((k) => [k, { ratio: [] as number[], rps: [] as number[], anchorRps: [] as number[], cpu: [] as number[], anchorCpu: [] as number[], errors: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      const pair = [children.get(kind)!, children.get(anchorOf(kind))!] as const;
      // Both servers warm again first: one that sat idle while other pairs ran may have had code flushed or its heap
      // shrunk by V8's idle-time memory reducer, and would pay for that in the measured seconds.
      await Promise.all(pair.map((child) => load(child, 1)));
      const [mine, anchor] = await Promise.all(pair.map((child) => load(child, SECONDS)));
      const acc = results.get(kind)!;
      acc.ratio.push((mine.rps / anchor.rps) * 100);
      acc.rps.push(mine.rps);
      acc.anchorRps.push(anchor.rps);
      acc.cpu.push(mine.cpuPerRequest);
      acc.anchorCpu.push(anchor.cpuPerRequest);
      acc.errors += mine.errors + anchor.errors;
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  console.log(`\nHTTP overhead, paired (each server loaded together with its bare anchor on one core; wrk on the other): ${CONNECTIONS} connections each, ${ROUNDS} rounds of ${SECONDS} s, GET /users/:id\n`);
  console.log('| server | req/s (median) | anchor req/s in the same rounds (median) | throughput ratio to bare: median (min–max of rounds) | server CPU µs/request (median) | anchor CPU µs/request | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [kind, acc] of results) {
    const ratio = `${median(acc.ratio).toFixed(1)} % (${Math.min(...acc.ratio).toFixed(1)}–${Math.max(...acc.ratio).toFixed(1)})`;
    console.log(
      `| ${kind} | ${Math.round(median(acc.rps)).toLocaleString('en-US')} | ${Math.round(median(acc.anchorRps)).toLocaleString('en-US')} | ${ratio} | ${median(acc.cpu).toFixed(1)} | ${median(acc.anchorCpu).toFixed(1)} | ${acc.errors} |`,
    );
  }
  for (const [kind, acc] of results) console.log(`\n${kind} per-round paired ratios (%): ${acc.ratio.map((r) => r.toFixed(1)).join(', ')}`);
}

// ---------------------------------------------------------------- in-process per-request time (Fastify inject)

const INJECT_REQUESTS = Number(process.env.INJECT_REQUESTS ?? 10_000);

/**
 * The same Fastify apps driven in this process with `inject()` (no sockets), one request to each app in turn, each
 * request timed on its own; the median per app. Interleaving single requests exposes every app to the same machine
 * noise, and a median ignores the requests that were preempted, so on a loaded machine this is far steadier than
 * req/s over loopback. The socket and kernel work (the same for every app) is left out.
 */
async function injectSection(): Promise<void> {
  const kinds = KINDS.filter((k) => k.startsWith('fastify'));
  if (INJECT_REQUESTS <= 0 || !kinds.includes('fastify-bare')) return;
  const apps = await Promise.all(kinds.map((kind) => buildFastify(kind)));
  const times: number[][] = kinds.map(() => []);
  const request = { method: 'GET', url: '/users/42', headers: { 'user-agent': 'autocannon/7' } } as const;
  const warmup = 2000;
  for (let i = 0; i < warmup + INJECT_REQUESTS; i++) {
    for (let j = 0; j < kinds.length; j++) {
      const k = (i + j) % kinds.length; // rotate which app goes first
      const t0 = process.hrtime.bigint();
      await apps[k]!.inject(request);
      if (i >= warmup) times[k]!.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
  const bare = times[kinds.indexOf('fastify-bare')]!;
  console.log(`\nIn-process time per request (Fastify inject, ${INJECT_REQUESTS} requests per app, interleaved one by one)\n`);
  console.log('| app | median µs/request | added vs bare (median) | p25 µs/request | added vs bare (p25) | ratio bare/this (median) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  kinds.forEach((kind, k) => {
    const med = quantile(times[k]!, 0.5);
    const p25 = quantile(times[k]!, 0.25);
    const bMed = quantile(bare, 0.5);
    const bP25 = quantile(bare, 0.25);
    console.log(`| ${kind} | ${med.toFixed(1)} | ${(med - bMed).toFixed(1)} | ${p25.toFixed(1)} | ${(p25 - bP25).toFixed(1)} | ${((bMed / med) * 100).toFixed(1)} % |`);
  });
  for (const app of apps) await app.close();
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) void serve(process.argv[serveAt + 1] as Kind);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
