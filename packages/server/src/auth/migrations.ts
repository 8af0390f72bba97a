import type { Migration } from '../state/types.js';

/** Migration namespace of the auth tables in the state store. */
export const AUTH_MIGRATION_NAMESPACE = 'auth';

/**
 * Auth tables: users (scrypt hashes), sessions and API tokens (SHA-256 of the secret only, never
 * the secret). SQL valid on SQLite and PostgreSQL; times are epoch milliseconds.
 */
export const authMigrations: readonly Migration[] = [
  {
    id: '001_users_sessions_tokens',
    up: `CREATE TABLE IF NOT EXISTS vigil_auth_users (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS vigil_auth_sessions (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS vigil_auth_sessions_user ON vigil_auth_sessions (username);
CREATE TABLE IF NOT EXISTS vigil_auth_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  last_used_at BIGINT
);`,
  },
  {
    id: '002_sessions_expiry_index',
    up: 'CREATE INDEX IF NOT EXISTS vigil_auth_sessions_expiry ON vigil_auth_sessions (expires_at)',
  },
];
