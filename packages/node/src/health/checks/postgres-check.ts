import { HealthPeerMissingError } from '../health-errors.js';
import type { HealthCheckDefinition } from '../types.js';
import { withCommon, type CommonCheckOptions } from './common.js';

/** The slice of a pg `PoolClient` the check uses. */
export interface PgClientLike {
  query(text: string): Promise<unknown>;
  release(error?: Error | boolean): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The slice of a pg `Pool` the check uses (a real `pg.Pool` fits). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  totalCount?: number;
  idleCount?: number;
  waitingCount?: number;
  end?(): Promise<void>;
}

/** Options of {@link postgresCheck}: pass `pool` (your app's pg Pool) or `connectionString` (the check owns a 1-connection pool). */
export interface PostgresCheckOptions extends CommonCheckOptions {
  /** An existing pg Pool; its figures (total/idle/waiting) are reported. */
  pool?: PgPoolLike;
  /** A connection string; `pg` is imported lazily and a private pool of one connection is created. */
  connectionString?: string;
  /** The query to run. Default `SELECT 1`. */
  query?: string;
}

/**
 * Creates a PostgreSQL check: borrows a connection, runs `SELECT 1` and reports the pool figures. On timeout
 * the borrowed connection is destroyed (released with an error), so a hung server never holds pool slots;
 * the check's own pool (connection-string mode) uses `connectionTimeoutMillis` = the timeout. Default name `database`.
 *
 * @example
 * registry.register(postgresCheck({ pool, timeoutMs: 1000 }));
 */
export function postgresCheck(options: PostgresCheckOptions): HealthCheckDefinition {
  if (!options.pool && !options.connectionString) {
    throw new TypeError('postgresCheck: pass `pool` or `connectionString`');
  }
  const sql = options.query ?? 'SELECT 1';
  let owned: Promise<PgPoolLike> | undefined;
  const poolFor = (): Promise<PgPoolLike> => {
    if (options.pool) return Promise.resolve(options.pool);
    owned ??= (async () => {
      let pg: typeof import('pg');
      try {
        pg = await import('pg');
      } catch (cause) {
        throw new HealthPeerMissingError('pg', { cause });
      }
      const Pool = pg.default?.Pool ?? pg.Pool;
      const pool = new Pool({
        connectionString: options.connectionString,
        max: 1,
        connectionTimeoutMillis: options.timeoutMs ?? 2000,
        idleTimeoutMillis: 30_000,
        allowExitOnIdle: true,
      });
      // An idle client losing its server must not crash the process.
      pool.on('error', () => undefined);
      return pool as unknown as PgPoolLike;
    })();
    return owned;
  };

  return withCommon(
    options,
    { name: 'database' },
    {
      async check({ signal }) {
        const pool = await poolFor();
        const client = await pool.connect();
        if (signal.aborted) {
          // The wait already ended; hand the late connection straight back.
          client.release();
          throw signal.reason;
        }
        // While checked out, a dying connection emits 'error' on the client (the pool only listens to idle
        // ones): the query's rejection reports it, so the event itself must not become an uncaught exception.
        // The listener stays on clients that are destroyed, whose sockets may still report a reset later.
        const swallow = (): void => undefined;
        client.on?.('error', swallow);
        let done = false;
        const onAbort = () => {
          if (done) return;
          done = true;
          // Destroy the connection: the query it is stuck in is abandoned with it.
          client.release(new Error('health check timed out'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          await client.query(sql);
        } catch (error) {
          if (!done) {
            done = true;
            client.release(error instanceof Error ? error : new Error(String(error)));
          }
          throw error;
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        if (!done) {
          done = true;
          client.off?.('error', swallow);
          client.release();
        }
        return {
          details: {
            pool_total: pool.totalCount ?? null,
            pool_idle: pool.idleCount ?? null,
            pool_waiting: pool.waitingCount ?? null,
          },
        };
      },
      async close() {
        if (owned) {
          const pool = await owned.catch(() => undefined);
          owned = undefined;
          // pg's end() waits for every client, including ones abandoned on a dead server: bound it.
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            Promise.resolve(pool?.end?.()).catch(() => undefined),
            new Promise<void>((r) => {
              timer = setTimeout(r, 1000);
              timer.unref();
            }),
          ]);
          clearTimeout(timer);
        }
      },
    },
  );
}
