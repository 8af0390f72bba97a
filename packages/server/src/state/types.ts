/** SQL dialect of a state store; migrations may give one statement text per dialect. */
export type StateDialect = 'sqlite' | 'postgres';

/**
 * One schema migration. `id`s sort lexically in application order (e.g. `001_alerts`); `up` is the SQL
 * (several statements separated by `;` are allowed) or one text per dialect.
 */
export interface Migration {
  readonly id: string;
  readonly up: string | { readonly sqlite: string; readonly postgres: string };
}

/** A row as returned by a query: column name → value (numbers for INTEGER/BIGINT columns, strings for TEXT). */
export type Row = Record<string, unknown>;

/**
 * What can run SQL: the store itself or a transaction. Placeholders are `$1`, `$2`, … in both dialects.
 * Integer columns come back as JS numbers in both dialects.
 */
export interface StateQueryable {
  /** Runs a query and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs one statement once per parameter row (a batch insert/upsert), atomically. */
  executeMany(sql: string, rows: readonly (readonly unknown[])[]): Promise<void>;
}

/**
 * The state store: durable tables for alerts, silences, the notification log, pending notifications
 * and (later) incidents, on SQLite (default, one file in the data directory) or PostgreSQL (shared by
 * several replicas). Each feature owns a migration namespace and applies its migrations at startup
 * with `migrate()`, so new features add tables without touching existing ones.
 */
export interface StateStore extends StateQueryable {
  readonly dialect: StateDialect;
  /**
   * Applies, in id order, the migrations of `namespace` not yet applied, each in its own transaction,
   * recording them in `vigil_migrations`. Safe to call concurrently from several processes.
   */
  migrate(namespace: string, migrations: readonly Migration[]): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: StateQueryable) => Promise<T>): Promise<T>;
  /** Closes the database connection(s). */
  close(): Promise<void>;
}
