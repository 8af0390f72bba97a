/** The state store: one interface, SQLite and PostgreSQL implementations, migrations. */
export type { Migration, Row, StateDialect, StateQueryable, StateStore } from './types.js';
export { createSqliteStateStore, type SqliteStateStoreOptions } from './sqlite-store.js';
export { createPostgresStateStore, type PostgresStateStoreOptions } from './postgres-store.js';
export { StateStoreError, StateErrorCode } from './errors.js';
