/**
 * Test helpers that start private PostgreSQL and Redis servers on their own ports, so tests can stop
 * (SIGSTOP) or kill them without touching the machine's shared services.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A private server process the test controls. */
export interface PrivateServer {
  port: number;
  url: string;
  process: ChildProcess;
  /** Sends a signal to the server's whole process group (postmaster and backends alike). */
  signal(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (reserved by listening on 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on port ${port} did not start within ${timeoutMs} ms`);
}

/** The process and all its descendants (read from /proc), parents first. PostgreSQL backends call setsid, so a process group is not enough. */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

function groupSignal(child: ChildProcess): (sig: NodeJS.Signals) => void {
  return (sig) => {
    for (const pid of processTree(child.pid!)) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
}

/**
 * Stops a server: resume it, send `stopSignal` to the server process itself (the root, or for a process
 * started through runuser its child) so it reaps its own children, and SIGKILL the tree after 5 s.
 */
function stopper(
  child: ChildProcess,
  stopSignal: NodeJS.Signals,
  cleanup?: () => void,
): () => Promise<void> {
  const signal = groupSignal(child);
  return async () => {
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((r) => child.once('exit', r));
    signal('SIGCONT');
    const tree = processTree(child.pid!);
    const server =
      tree.length > 1 && tree[0] === child.pid && child.spawnfile === 'runuser'
        ? tree[1]!
        : child.pid!;
    try {
      process.kill(server, stopSignal);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    cleanup?.();
  };
}

/** The server process itself: the spawned child, or its child when started through runuser. */
export function serverPid(server: PrivateServer): number {
  const tree = processTree(server.process.pid!);
  return server.process.spawnfile === 'runuser' && tree.length > 1 ? tree[1]! : server.process.pid!;
}

/** Starts `redis-server` on a free port without persistence. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore', detached: true },
  );
  await waitForPort(port, child, 10_000);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    signal: groupSignal(child),
    stop: stopper(child, 'SIGKILL'),
  };
}

/** Waits until PostgreSQL answers a query: its port opens while it still refuses connections ("starting up"). */
async function waitForQueries(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function pgBin(name: string): string {
  for (const v of ['17', '16', '15', '14', '13']) {
    const p = `/usr/lib/postgresql/${v}/bin/${name}`;
    if (existsSync(p)) return p;
  }
  return name;
}

/** Starts a throwaway PostgreSQL cluster (initdb in a temp dir, trust auth) on a free port, as user `postgres` when run as root. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  if (asRoot) {
    chmodSync(dir, 0o777);
  }
  const [initCmd, initArgs] = wrap(pgBin('initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [cmd, args] = wrap(pgBin('postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  await waitForPort(port, child, 20_000);
  await waitForQueries(`postgres://postgres@127.0.0.1:${port}/postgres`, 20_000);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    process: child,
    signal: groupSignal(child),
    stop: stopper(child, 'SIGQUIT', () => rmSync(dir, { recursive: true, force: true })),
  };
}
