/**
 * Bench: health probe endpoints.
 *
 * 1. Throughput of Vigil's `/health/ready` with cached checks against its anchor, a bare node:http handler
 *    returning the same JSON (target ≥ 90 %).
 * 2. 1,000 concurrent probes against a readiness check whose dependency takes 2 s: p99 probe latency and
 *    dependency queries issued, for Vigil (TTL cache + single flight, and background refresh),
 *    @godaddy/terminus and lightship.
 *
 * Each server runs in its own child process (this file with `--serve <kind>`), autocannon in this one.
 * Run: npx tsx bench/health-probes.ts  (about 1.5 minutes, loopback only)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

type Kind =
  | 'bare'
  | 'vigil'
  | 'vigil-slow-ttl'
  | 'vigil-slow-background'
  | 'terminus-slow'
  | 'lightship-slow';
const SLOW_MS = 2000;

// ---------------------------------------------------------------- server side (child process)

async function serve(kind: Kind): Promise<void> {
  let queries = 0;
  const slowDependency = async () => {
    queries += 1;
    await new Promise((r) => setTimeout(r, SLOW_MS));
  };
  let port = 0;
  if (kind === 'bare') {
    const server = http.createServer((req, res) => {
      if ((req.url ?? '').split('?')[0] !== '/health/ready') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.stringify({
        status: 'ready',
        timestamp: new Date().toISOString(),
        checks: { database: 'ready', redis: 'ready' },
      });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else if (kind.startsWith('vigil')) {
    const { createHealthEndpoints, createHealthRegistry, createNodeHealthListener } =
      await import('@vigil/node');
    const registry = createHealthRegistry({
      logger: false,
      cacheTtlMs: 5000,
      defaultTimeoutMs: 3000,
    });
    if (kind === 'vigil') {
      registry.register({ name: 'database', check: () => void (queries += 1) });
      registry.register({ name: 'redis', check: () => void (queries += 1) });
    } else {
      registry.register({ name: 'database', check: slowDependency });
    }
    if (kind === 'vigil-slow-background') {
      registry.startBackgroundRefresh(5000);
      await registry.run();
    }
    const server = http.createServer(
      createNodeHealthListener(createHealthEndpoints({ registry }), (_req, res) =>
        res.writeHead(404).end(),
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else if (kind === 'terminus-slow') {
    const { createTerminus } = await import('@godaddy/terminus');
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    createTerminus(server, { healthChecks: { '/health/ready': slowDependency }, signals: [] });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  } else if (kind === 'lightship-slow') {
    const { createLightship } = await import('lightship');
    const lightship = await createLightship({ port: 0, detectKubernetes: false, signals: [] });
    // Lightship's model: the app decides readiness; poll the dependency on an interval like Vigil's refresh.
    const poll = async () => {
      try {
        await slowDependency();
        lightship.signalReady();
      } catch {
        lightship.signalNotReady();
      }
    };
    await poll();
    setInterval(() => void poll(), 5000).unref();
    port = (lightship.server.address() as AddressInfo).port;
  }
  process.send!({ port });
  process.on('message', (m) => {
    if (m === 'count') process.send!({ queries });
    if (m === 'exit') process.exit(0);
  });
}

// ---------------------------------------------------------------- load side

interface Child {
  proc: ChildProcess;
  port: number;
  queries(): Promise<number>;
  stop(): void;
}

async function start(kind: Kind): Promise<Child> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', kind],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return {
    proc,
    port,
    queries: () =>
      new Promise((resolve) => {
        proc.once('message', (m: { queries: number }) => resolve(m.queries));
        proc.send('count');
      }),
    stop: () => {
      proc.send('exit');
      setTimeout(() => proc.kill('SIGKILL'), 1000).unref();
    },
  };
}

function load(url: string, connections: number, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, timeout: 10 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

async function throughputPair(
  rounds: number,
  seconds: number,
): Promise<{ bare: number[]; vigil: number[] }> {
  const [bareChild, vigilChild] = [await start('bare'), await start('vigil')];
  const out = { bare: [] as number[], vigil: [] as number[] };
  try {
    for (const c of [bareChild, vigilChild])
      await load(`http://127.0.0.1:${c.port}/health/ready`, 20, 1); // warm-up
    // Alternate which goes first so drifting machine load hits both alike.
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'vigil'] as const) : (['vigil', 'bare'] as const);
      for (const kind of order) {
        const child = kind === 'bare' ? bareChild : vigilChild;
        const r = await load(`http://127.0.0.1:${child.port}/health/ready`, 50, seconds);
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${kind}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        out[kind].push(r.requests.average);
      }
    }
  } finally {
    bareChild.stop();
    vigilChild.stop();
  }
  return out;
}

async function slowProbe(kind: Kind, path: string, seconds: number) {
  const child = await start(kind);
  try {
    const before = await child.queries();
    const r = await load(`http://127.0.0.1:${child.port}${path}`, 1000, seconds);
    const after = await child.queries();
    return {
      kind,
      p50: r.latency.p50,
      p99: r.latency.p99,
      requests: r.requests.total,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      queries: after - before,
    };
  } finally {
    child.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    'Health probes bench (loopback; servers in child processes; autocannon in this process)\n',
  );
  console.log(
    '1) /health/ready throughput, 50 connections, 6 alternating rounds of 3 s, cached checks vs bare node:http handler with the same JSON',
  );
  const { bare, vigil } = await throughputPair(6, 3);
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const ratio = avg(vigil) / avg(bare);
  const pairRatios = vigil.map((v, i) => v / bare[i]!).sort((x, y) => x - y);
  const median =
    (pairRatios[(pairRatios.length - 1) >> 1]! + pairRatios[pairRatios.length >> 1]!) / 2;
  console.log(
    `   bare node:http (anchor): ${Math.round(avg(bare))} req/s   [${bare.map(Math.round).join(', ')}]`,
  );
  console.log(
    `   vigil /health/ready:     ${Math.round(avg(vigil))} req/s   [${vigil.map(Math.round).join(', ')}]`,
  );
  console.log(
    `   ratio: ${(ratio * 100).toFixed(1)} % of the anchor (mean of rounds), median per-round ratio ${(median * 100).toFixed(1)} % (target >= 90 %)\n`,
  );

  if (process.env.HEALTH_BENCH_ONLY === 'throughput') return;
  const seconds = 8;
  console.log(
    `2) 1,000 concurrent probes for ${seconds} s, readiness depends on a ${SLOW_MS} ms dependency`,
  );
  const rows = [
    await slowProbe('vigil-slow-ttl', '/health/ready', seconds),
    await slowProbe('vigil-slow-background', '/health/ready', seconds),
    await slowProbe('terminus-slow', '/health/ready', seconds),
    await slowProbe('lightship-slow', '/ready', seconds),
  ];
  console.log(
    '   | server | probes answered | p50 ms | p99 ms | dependency queries | errors/non-2xx |',
  );
  console.log('   | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `   | ${r.kind} | ${r.requests} | ${r.p50} | ${r.p99} | ${r.queries} | ${r.errors}/${r.non2xx} |`,
    );
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) void serve(process.argv[serveAt + 1] as Kind);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
