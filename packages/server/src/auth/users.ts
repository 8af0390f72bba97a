import type { Role } from '../http/request-user.js';
import type { StateStore } from '../state/types.js';
import { AuthError, AuthErrorCode } from './errors.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password-hash.js';

/** A user as the API shows it: never the password hash. */
export interface UserInfo {
  readonly username: string;
  readonly role: Role;
  readonly disabled: boolean;
  /** RFC 3339. */
  readonly created_at: string;
  readonly updated_at: string;
}

/** Users in the state store: create, list, change role, reset password, disable, verify a login. */
export interface UserRepository {
  count(): Promise<number>;
  get(username: string): Promise<UserInfo | undefined>;
  list(): Promise<UserInfo[]>;
  /** Creates a user; `ifAbsent` makes it a no-op (resolving false) when any user already exists (first-start admin). */
  create(input: { username: string; password: string; role: Role }, opts?: { ifAbsent?: boolean }): Promise<boolean>;
  setRole(username: string, role: Role): Promise<void>;
  setPassword(username: string, password: string): Promise<void>;
  setDisabled(username: string, disabled: boolean): Promise<void>;
  /** The user when the password is right and the account enabled; spends the same time for unknown users. */
  verify(username: string, password: string): Promise<UserInfo | undefined>;
}

/** Valid roles, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'responder', 'admin'];

/** Throws `VIGIL_ERR_AUTH_INVALID_INPUT` unless `username` is 1-64 of `[A-Za-z0-9_.@-]`. */
export function checkUsername(username: unknown): string {
  if (typeof username !== 'string' || !/^[A-Za-z0-9_.@-]{1,64}$/.test(username)) {
    throw new AuthError(AuthErrorCode.invalidInput, 'username must be 1-64 characters of letters, digits, "_", ".", "@", "-"');
  }
  return username;
}

/** Throws `VIGIL_ERR_AUTH_INVALID_INPUT` unless the password has 8 to 1024 characters. */
export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < 8 || password.length > 1024) {
    throw new AuthError(AuthErrorCode.invalidInput, 'password must have 8 to 1024 characters');
  }
  return password;
}

/** Throws `VIGIL_ERR_AUTH_INVALID_INPUT` unless `role` is viewer, responder or admin. */
export function checkRole(role: unknown): Role {
  if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw new AuthError(AuthErrorCode.invalidInput, 'role must be one of viewer, responder, admin');
  return role as Role;
}

interface UserRow {
  [k: string]: unknown;
  username: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

const info = (r: UserRow): UserInfo => ({
  username: r.username,
  role: r.role as Role,
  disabled: Number(r.disabled) !== 0,
  created_at: new Date(Number(r.created_at)).toISOString(),
  updated_at: new Date(Number(r.updated_at)).toISOString(),
});

/** Creates the user repository over an already-migrated state store. */
export function createUserRepository(store: StateStore, now: () => number): UserRepository {
  const row = async (username: string): Promise<UserRow | undefined> => (await store.query<UserRow>('SELECT * FROM vigil_auth_users WHERE username = $1', [username]))[0];
  const mustChange = async (sql: string, params: unknown[], username: string): Promise<void> => {
    if ((await store.execute(sql, params)) === 0) throw new AuthError(AuthErrorCode.userNotFound, `no user "${username}"`);
  };
  return {
    async count() {
      const r = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM vigil_auth_users');
      return Number(r[0]?.n ?? 0);
    },
    async get(username) {
      const r = await row(username);
      return r ? info(r) : undefined;
    },
    async list() {
      return (await store.query<UserRow>('SELECT * FROM vigil_auth_users ORDER BY username')).map(info);
    },
    async create(input, opts = {}) {
      const username = checkUsername(input.username);
      const role = checkRole(input.role);
      const hash = await hashPassword(checkPassword(input.password));
      const t = now();
      if (opts.ifAbsent) {
        // Two replicas starting at once on one Postgres: only the one whose insert lands reports it.
        const changed = await store.execute(
          `INSERT INTO vigil_auth_users (username, password_hash, role, disabled, created_at, updated_at)
           SELECT $1, $2, $3, 0, $4, $4 WHERE NOT EXISTS (SELECT 1 FROM vigil_auth_users) ON CONFLICT (username) DO NOTHING`,
          [username, hash, role, t],
        );
        return changed > 0;
      }
      const changed = await store.execute(
        'INSERT INTO vigil_auth_users (username, password_hash, role, disabled, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, $4) ON CONFLICT (username) DO NOTHING',
        [username, hash, role, t],
      );
      if (changed === 0) throw new AuthError(AuthErrorCode.userExists, `user "${username}" already exists`);
      return true;
    },
    async setRole(username, role) {
      await mustChange('UPDATE vigil_auth_users SET role = $2, updated_at = $3 WHERE username = $1', [username, checkRole(role), now()], username);
    },
    async setPassword(username, password) {
      const hash = await hashPassword(checkPassword(password));
      await mustChange('UPDATE vigil_auth_users SET password_hash = $2, updated_at = $3 WHERE username = $1', [username, hash, now()], username);
    },
    async setDisabled(username, disabled) {
      await mustChange('UPDATE vigil_auth_users SET disabled = $2, updated_at = $3 WHERE username = $1', [username, disabled ? 1 : 0, now()], username);
    },
    async verify(username, password) {
      const r = typeof username === 'string' && username.length <= 64 ? await row(username) : undefined;
      if (!r) {
        await burnPasswordCheck(password);
        return undefined;
      }
      if (!(await verifyPassword(password, r.password_hash))) return undefined;
      if (Number(r.disabled) !== 0) return undefined;
      if (needsRehash(r.password_hash)) {
        // Parameters were raised since this hash was made: upgrade it now that we know the password.
        await store.execute('UPDATE vigil_auth_users SET password_hash = $2 WHERE username = $1 AND password_hash = $3', [username, await hashPassword(password), r.password_hash]);
      }
      return info(r);
    },
  };
}
