import type { Role } from '../http/request-user.js';
import type { StateStore } from '../state/types.js';
import { hashSecret, randomSecret } from './secrets.js';

/** A live session as looked up by its cookie. */
export interface SessionInfo {
  readonly username: string;
  /** The user's current role (a role change applies to existing sessions at once). */
  readonly role: Role;
  /** Synchronizer token the client echoes in `X-CSRF-Token`. */
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/**
 * Sessions in the state store, keyed by the SHA-256 of their 256-bit id, so that several replicas on
 * one Postgres share them and a database dump holds no usable cookie.
 */
export interface SessionRepository {
  /** Starts a session; the returned `id` is the cookie value (the only place it exists in clear). */
  create(username: string): Promise<{ id: string; csrfToken: string; expiresAt: number }>;
  /** The session when it exists, is unexpired and its user enabled; extends its expiry (sliding). */
  lookup(id: string): Promise<SessionInfo | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user (password reset, disable), but the one with id `exceptId` if given. */
  deleteForUser(username: string, exceptId?: string): Promise<void>;
  /** Deletes expired sessions. */
  prune(): Promise<number>;
}

interface Row {
  [k: string]: unknown;
  username: string;
  csrf_token: string;
  expires_at: number;
  role: string;
  disabled: number;
}

/**
 * Creates the session repository. `ttlMs()` is the idle lifetime (read per call so a config reload
 * applies); the expiry is pushed forward at most once a minute per session to keep reads cheap.
 */
export function createSessionRepository(store: StateStore, now: () => number, ttlMs: () => number): SessionRepository {
  const SLIDE_STEP_MS = 60_000;
  return {
    async create(username) {
      const id = randomSecret();
      const csrfToken = randomSecret();
      const t = now();
      const expiresAt = t + ttlMs();
      await store.execute('INSERT INTO vigil_auth_sessions (id_hash, username, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [hashSecret(id), username, csrfToken, t, expiresAt]);
      return { id, csrfToken, expiresAt };
    },
    async lookup(id) {
      if (!id || id.length > 100) return undefined;
      const key = hashSecret(id);
      const rows = await store.query<Row>(
        `SELECT s.username, s.csrf_token, s.expires_at, u.role, u.disabled FROM vigil_auth_sessions s
         JOIN vigil_auth_users u ON u.username = s.username WHERE s.id_hash = $1`,
        [key],
      );
      const r = rows[0];
      const t = now();
      if (!r || Number(r.disabled) !== 0) return undefined;
      if (Number(r.expires_at) <= t) {
        await store.execute('DELETE FROM vigil_auth_sessions WHERE id_hash = $1', [key]);
        return undefined;
      }
      let expiresAt = Number(r.expires_at);
      const next = t + ttlMs();
      if (next - expiresAt >= SLIDE_STEP_MS) {
        await store.execute('UPDATE vigil_auth_sessions SET expires_at = $2 WHERE id_hash = $1', [key, next]);
        expiresAt = next;
      }
      return { username: r.username, role: r.role as Role, csrfToken: r.csrf_token, expiresAt };
    },
    async delete(id) {
      await store.execute('DELETE FROM vigil_auth_sessions WHERE id_hash = $1', [hashSecret(id)]);
    },
    async deleteForUser(username, exceptId) {
      await store.execute('DELETE FROM vigil_auth_sessions WHERE username = $1 AND id_hash <> $2', [username, exceptId ? hashSecret(exceptId) : '']);
    },
    async prune() {
      return store.execute('DELETE FROM vigil_auth_sessions WHERE expires_at <= $1', [now()]);
    },
  };
}
