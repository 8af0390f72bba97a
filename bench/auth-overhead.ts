/**
 * Bench: cost of the auth layer on every request of the monitor.
 *
 * One monitor per child process, both answering `GET /api/v1/status/buildinfo` (a tiny compat-API
 * handler, so the auth hook is most of the difference):
 * - `off` (the anchor): `server.auth.enabled: false` — the hook only marks the request anonymous;
 * - `on` with `compat_apis: token`, called with the session cookie (one SHA-256 + one SELECT joining
 *   users, SQLite in the data dir) and with an API token (one SHA-256 + one SELECT).
 * Rounds alternate between the variants so machine noise hits them alike; ratios are per round,
 * reported as the median.
 * Run: node --import tsx bench/auth-overhead.ts  (about 1 minute, loopback only; ROUNDS, SECONDS)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 4);
const CONNECTIONS = 20;
const PATH = '/api/v1/status/buildinfo';

interface Ready {
  url: string;
  cookie?: string;
  token?: string;
}

async function serve(kind: 'off' | 'on'): Promise<void> {
  const { createMonitor, parseConfig } = await import('@vigil/server');
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-auth-'));
  const yaml = `global:\n  scrape_interval: 1h\nserver:\n  auth:\n${kind === 'off' ? '    enabled: false\n' : '    compat_apis: token\n'}`;
  const monitor = await createMonitor({ config: parseConfig(yaml, path.join(dir, 'vigil.yml')), port: 0, dataDir: dir, auth: { adminPassword: 'bench-admin-password' } });
  const ready: Ready = { url: monitor.url };
  if (kind === 'on') {
    const login = await monitor.app.inject({ method: 'POST', url: '/api/vigil/auth/login', payload: { username: 'admin', password: 'bench-admin-password' } });
    ready.cookie = String(login.headers['set-cookie']).split(';')[0]!;
    ready.token = (await monitor.auth.createToken({ name: 'bench', role: 'viewer' })).token;
  }
  process.send!(ready);
}

function start(kind: 'off' | 'on'): Promise<{ proc: ChildProcess; ready: Ready }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => resolve({ proc, ready: m as Ready }));
    proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function measure(url: string, headers: Record<string, string>): Promise<{ rps: number; p99: number; non2xx: number }> {
  const r = await autocannon({ url: url + PATH, connections: CONNECTIONS, duration: SECONDS, headers });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

async function main(): Promise<void> {
  const off = await start('off');
  const on = await start('on');
  const variants: { name: string; url: string; headers: Record<string, string> }[] = [
    { name: 'auth off (anchor)', url: off.ready.url, headers: {} },
    { name: 'session cookie', url: on.ready.url, headers: { cookie: on.ready.cookie! } },
    { name: 'API token (bearer)', url: on.ready.url, headers: { authorization: `Bearer ${on.ready.token}` } },
  ];
  const results = variants.map(() => ({ rps: [] as number[], p99: [] as number[], ratio: [] as number[], bad: 0 }));
  try {
    // Warm-up: JIT and SQLite statement caches of both servers before anything is recorded.
    for (const v of variants) await autocannon({ url: v.url + PATH, connections: CONNECTIONS, duration: 2, headers: v.headers });
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      const rps: number[] = [];
      for (const i of order) {
        const m = await measure(variants[i]!.url, variants[i]!.headers);
        rps[i] = m.rps;
        results[i]!.rps.push(m.rps);
        results[i]!.p99.push(m.p99);
        results[i]!.bad += m.non2xx;
      }
      for (let i = 0; i < variants.length; i++) results[i]!.ratio.push((rps[i]! / rps[0]!) * 100);
    }
  } finally {
    off.proc.kill('SIGKILL');
    on.proc.kill('SIGKILL');
  }
  console.log(`auth overhead, GET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s`);
  console.log('| request | req/s (median) | p99 ms (median) | ratio to auth off (median, min–max) | non-2xx |');
  console.log('| --- | --- | --- | --- | --- |');
  variants.forEach((v, i) => {
    const r = results[i]!;
    console.log(`| ${v.name} | ${Math.round(median(r.rps)).toLocaleString('en-US')} | ${median(r.p99).toFixed(1)} | ${median(r.ratio).toFixed(1)} % (${Math.min(...r.ratio).toFixed(1)}–${Math.max(...r.ratio).toFixed(1)}) | ${r.bad} |`);
  });
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) void serve(process.argv[serveAt + 1] as 'off' | 'on');
else await main();
