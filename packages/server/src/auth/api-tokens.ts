import { randomBytes } from 'node:crypto';
import type { Role } from '../http/request-user.js';
import type { StateStore } from '../state/types.js';
import { AuthError, AuthErrorCode } from './errors.js';
import { hashSecret, looksLikeApiToken, newApiToken } from './secrets.js';
import { checkRole } from './users.js';

/** An API token as listed: everything but the secret. */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly created_by: string;
  /** RFC 3339 times. */
  readonly created_at: string;
  readonly expires_at?: string;
  readonly revoked_at?: string;
  readonly last_used_at?: string;
}

/** API tokens for automation: created by an admin, shown once, stored as SHA-256, revocable. */
export interface ApiTokenRepository {
  /** Creates a token; `token` is the secret (`vgl_…`), returned only here. */
  create(input: { name: string; role: Role; expiresAt?: number; createdBy: string }): Promise<{ token: string; info: ApiTokenInfo }>;
  list(): Promise<ApiTokenInfo[]>;
  /** Revokes a token by id; throws `VIGIL_ERR_TOKEN_NOT_FOUND` when unknown or already revoked. */
  revoke(id: string): Promise<void>;
  /** The token's info when the secret is valid, unrevoked and unexpired. */
  verify(secret: string): Promise<ApiTokenInfo | undefined>;
}

interface Row {
  [k: string]: unknown;
  id: string;
  name: string;
  role: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

const iso = (ms: number): string => new Date(Number(ms)).toISOString();
const info = (r: Row): ApiTokenInfo => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  created_by: r.created_by,
  created_at: iso(r.created_at),
  ...(r.expires_at != null ? { expires_at: iso(r.expires_at) } : {}),
  ...(r.revoked_at != null ? { revoked_at: iso(r.revoked_at) } : {}),
  ...(r.last_used_at != null ? { last_used_at: iso(r.last_used_at) } : {}),
});

const COLUMNS = 'id, name, role, created_by, created_at, expires_at, revoked_at, last_used_at';

/** Creates the API token repository over an already-migrated state store. */
export function createApiTokenRepository(store: StateStore, now: () => number): ApiTokenRepository {
  return {
    async create(input) {
      if (typeof input.name !== 'string' || !/^[A-Za-z0-9_.:@ -]{1,64}$/.test(input.name)) {
        throw new AuthError(AuthErrorCode.invalidInput, 'token name must be 1-64 characters of letters, digits, space, "_", ".", ":", "@", "-"');
      }
      const role = checkRole(input.role);
      const t = now();
      if (input.expiresAt !== undefined && !(Number.isFinite(input.expiresAt) && input.expiresAt > t)) {
        throw new AuthError(AuthErrorCode.invalidInput, 'expires_at must be a time in the future');
      }
      const token = newApiToken();
      const id = randomBytes(8).toString('hex');
      await store.execute(
        'INSERT INTO vigil_auth_tokens (id, name, token_hash, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [id, input.name, hashSecret(token), role, input.createdBy, t, input.expiresAt ?? null],
      );
      const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM vigil_auth_tokens WHERE id = $1`, [id]);
      return { token, info: info(rows[0]!) };
    },
    async list() {
      return (await store.query<Row>(`SELECT ${COLUMNS} FROM vigil_auth_tokens ORDER BY created_at, id`)).map(info);
    },
    async revoke(id) {
      const n = await store.execute('UPDATE vigil_auth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [String(id), now()]);
      if (n === 0) throw new AuthError(AuthErrorCode.tokenNotFound, `no active token with id "${String(id).slice(0, 32)}"`);
    },
    async verify(secret) {
      if (!looksLikeApiToken(secret)) return undefined;
      const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM vigil_auth_tokens WHERE token_hash = $1`, [hashSecret(secret)]);
      const r = rows[0];
      const t = now();
      if (!r || r.revoked_at != null || (r.expires_at != null && Number(r.expires_at) <= t)) return undefined;
      // Record use at most once a minute: automation may call many times a second.
      if (r.last_used_at == null || t - Number(r.last_used_at) >= 60_000) {
        await store.execute('UPDATE vigil_auth_tokens SET last_used_at = $2 WHERE id = $1', [r.id, t]);
      }
      return info(r);
    },
  };
}
