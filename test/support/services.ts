import net from 'node:net';

/** True when running under CI (`CI=true`), where a missing real service is a failure, never a skip. */
export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Connection string of the test PostgreSQL: `DATABASE_URL`, else built from `PGHOST` (default 127.0.0.1), database `test`. */
export function postgresUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const host = process.env.PGHOST ?? '127.0.0.1';
  const port = process.env.PGPORT ?? '5432';
  const user = process.env.PGUSER ?? 'postgres';
  const db = process.env.PGDATABASE ?? 'test';
  return `postgres://${user}@${host}:${port}/${db}`;
}

/** URL of the test Redis: `REDIS_URL`, default `redis://127.0.0.1:6379`. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * Resolves true when a TCP connection to the service's host:port succeeds within 2 s.
 * Under CI it throws instead of resolving false, so a real-service test fails rather than skips.
 */
export async function requireService(url: string): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('redis') ? 6379 : 5432));
  const ok = await new Promise<boolean>((resolve) => {
    const sock = net.connect({ host: u.hostname, port, timeout: 2000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
  if (!ok && isCI()) throw new Error(`required service ${u.protocol}//${u.hostname}:${port} is not reachable under CI`);
  return ok;
}
