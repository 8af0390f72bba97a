import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StateErrorCode, StateStoreError } from './errors.js';
import { migrationSql, splitStatements, sqliteValue, toSqlitePlaceholders } from './sql.js';
import type { Migration, Row, StateQueryable, StateStore } from './types.js';

/** Options of {@link createSqliteStateStore}. */
export interface SqliteStateStoreOptions {
  /** Database file; created with its directory when missing. `:memory:` for a throwaway store. */
  readonly path: string;
}

type Db = InstanceType<typeof Database>;
interface Stmt {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

/**
 * Creates the SQLite state store (better-sqlite3, WAL journal). Calls are serialised: a transaction
 * holds the store until it settles, so concurrent callers never interleave inside it.
 */
export function createSqliteStateStore(options: SqliteStateStoreOptions): StateStore {
  if (options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  let db: Db;
  try {
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new StateStoreError(StateErrorCode.storeFailed, `cannot open SQLite state store ${options.path}: ${(err as Error).message}`, { cause: err });
  }
  const stmts = new Map<string, { stmt: Stmt; order: number[] }>();
  const prep = (sql: string) => {
    let s = stmts.get(sql);
    if (!s) {
      const t = toSqlitePlaceholders(sql);
      s = { stmt: db.prepare(t.sql) as unknown as Stmt, order: t.order };
      stmts.set(sql, s);
    }
    return s;
  };
  const bind = (order: number[], params: readonly unknown[]) => order.map((i) => sqliteValue(params[i]));
  const wrap = <T>(sql: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new StateStoreError(StateErrorCode.storeFailed, `SQLite statement failed: ${(err as Error).message} (${sql.slice(0, 80)})`, { cause: err });
    }
  };

  const direct: StateQueryable = {
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return wrap(sql, () => {
        const s = prep(sql);
        return s.stmt.all(...bind(s.order, params)) as T[];
      });
    },
    async execute(sql, params = []) {
      return wrap(sql, () => {
        const s = prep(sql);
        return s.stmt.run(...bind(s.order, params)).changes;
      });
    },
    async executeMany(sql, rows) {
      wrap(sql, () => {
        const s = prep(sql);
        db.transaction(() => {
          for (const r of rows) s.stmt.run(...bind(s.order, r));
        })();
      });
    },
  };

  // A chain of pending work: each transaction (and each call outside one) waits for the previous.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const store: StateStore = {
    dialect: 'sqlite',
    query: (sql, params) => serial(() => direct.query(sql, params)),
    execute: (sql, params) => serial(() => direct.execute(sql, params)),
    executeMany: (sql, rows) => serial(() => direct.executeMany(sql, rows)),
    transaction<T>(fn: (tx: StateQueryable) => Promise<T>): Promise<T> {
      return serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const nested: StateQueryable = {
            query: direct.query,
            execute: direct.execute,
            executeMany: async (sql, rows) => {
              const s = prep(sql);
              wrap(sql, () => {
                for (const r of rows) s.stmt.run(...bind(s.order, r));
              });
            },
          };
          const out = await fn(nested);
          db.exec('COMMIT');
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      });
    },
    async migrate(namespace: string, migrations: readonly Migration[]) {
      await store.execute('CREATE TABLE IF NOT EXISTS vigil_migrations (namespace TEXT NOT NULL, id TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (namespace, id))');
      const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
      for (const m of sorted) {
        await store.transaction(async (tx) => {
          const done = await tx.query('SELECT id FROM vigil_migrations WHERE namespace = $1 AND id = $2', [namespace, m.id]);
          if (done.length > 0) return;
          try {
            for (const stmt of splitStatements(migrationSql(m, 'sqlite'))) db.exec(stmt);
          } catch (err) {
            throw new StateStoreError(StateErrorCode.migrationFailed, `migration ${namespace}/${m.id} failed: ${(err as Error).message}`, { cause: err });
          }
          await tx.execute('INSERT INTO vigil_migrations (namespace, id, applied_at) VALUES ($1, $2, $3)', [namespace, m.id, Date.now()]);
        });
      }
    },
    async close() {
      await tail;
      db.close();
    },
  };
  return store;
}
