import pg from 'pg';
import { StateErrorCode, StateStoreError } from './errors.js';
import { migrationSql, splitStatements } from './sql.js';
import type { Migration, Row, StateQueryable, StateStore } from './types.js';

/** Options of {@link createPostgresStateStore}. */
export interface PostgresStateStoreOptions {
  /** `postgres://user:password@host:port/db`; never echoed in errors or logs. */
  readonly connectionString: string;
  /** Schema holding Vigil's tables (created when missing); default `public`. */
  readonly schema?: string;
  /** Pool size (default 5). */
  readonly maxConnections?: number;
}

// BIGINT (int8) as JS numbers: Vigil stores millisecond timestamps, well inside 2^53.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function pgError(what: string, err: unknown): StateStoreError {
  const e = err as { message?: string; code?: string };
  return new StateStoreError(StateErrorCode.storeFailed, `PostgreSQL ${what} failed: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`, { cause: err });
}

function queryable(run: (sql: string, params: readonly unknown[]) => Promise<pg.QueryResult>): StateQueryable {
  return {
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await run(sql, params)).rows as T[];
      } catch (err) {
        throw pgError('query', err);
      }
    },
    async execute(sql, params = []) {
      try {
        return (await run(sql, params)).rowCount ?? 0;
      } catch (err) {
        throw pgError('statement', err);
      }
    },
    async executeMany(sql, rows) {
      try {
        for (const r of rows) await run(sql, r);
      } catch (err) {
        throw pgError('batch', err);
      }
    },
  };
}

/**
 * Creates the PostgreSQL state store (a `pg` pool whose sessions use `schema`). Several Vigil
 * replicas may share one database; migrations take an advisory lock.
 */
export async function createPostgresStateStore(options: PostgresStateStoreOptions): Promise<StateStore> {
  const schema = options.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new StateStoreError(StateErrorCode.storeFailed, `invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 5, types, options: `-c search_path=${schema}` });
  pool.on('error', () => undefined);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  } catch (err) {
    // Replicas starting at the same instant race on IF NOT EXISTS: the loser gets a unique violation
    // (23505) or duplicate_schema (42P06), and the schema exists, which is all we need.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') {
      await pool.end().catch(() => undefined);
      throw pgError('connection', err);
    }
  }
  const base = queryable((sql, params) => pool.query(sql, params as unknown[]));

  const transaction = async <T>(fn: (tx: StateQueryable) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw pgError('connection', err);
    }
    try {
      await client.query('BEGIN');
      const out = await fn(queryable((sql, params) => client.query(sql, params as unknown[])));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };

  const store: StateStore = {
    dialect: 'postgres',
    ...base,
    async executeMany(sql, rows) {
      await transaction((tx) => tx.executeMany(sql, rows));
    },
    transaction,
    async migrate(namespace: string, migrations: readonly Migration[]) {
      const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
      await transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vigil_migrations:${schema}`]);
        await tx.execute('CREATE TABLE IF NOT EXISTS vigil_migrations (namespace TEXT NOT NULL, id TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (namespace, id))');
        for (const m of sorted) {
          const done = await tx.query('SELECT id FROM vigil_migrations WHERE namespace = $1 AND id = $2', [namespace, m.id]);
          if (done.length > 0) continue;
          try {
            for (const stmt of splitStatements(migrationSql(m, 'postgres'))) await tx.execute(stmt);
          } catch (err) {
            throw new StateStoreError(StateErrorCode.migrationFailed, `migration ${namespace}/${m.id} failed: ${(err as Error).message}`, { cause: err });
          }
          await tx.execute('INSERT INTO vigil_migrations (namespace, id, applied_at) VALUES ($1, $2, $3)', [namespace, m.id, Date.now()]);
        }
      });
    },
    async close() {
      await pool.end();
    },
  };
  return store;
}
