import type { Registry } from 'prom-client';
import type { AuthConfig } from '../config/types.js';
import type { RequestUser, Role } from '../http/request-user.js';
import type { StateStore } from '../state/types.js';
import { createApiTokenRepository, type ApiTokenInfo, type ApiTokenRepository } from './api-tokens.js';
import { AuthError, AuthErrorCode } from './errors.js';
import { createAuthMetrics, type AuthMetrics } from './metrics.js';
import { AUTH_MIGRATION_NAMESPACE, authMigrations } from './migrations.js';
import { createLoginRateLimiter, type LoginRateLimiter } from './rate-limit.js';
import { randomPassword } from './secrets.js';
import { createSessionRepository, type SessionRepository } from './sessions.js';
import { createUserRepository, type UserInfo, type UserRepository } from './users.js';

/** What the first start reports: the admin it created and, when generated, its one-time password. */
export interface AdminCreatedEvent {
  readonly username: string;
  /** Present only when the password was generated (VIGIL_ADMIN_PASSWORD unset): show it once, never store it. */
  readonly password?: string;
  readonly generated: boolean;
}

/** Options of {@link createAuthService}. */
export interface AuthServiceOptions {
  /** The state store holding users, sessions and tokens (migrated by `init`). */
  readonly store: StateStore;
  /** The `server.auth` settings in effect (read per request so a reload applies). */
  readonly config: () => AuthConfig;
  readonly now?: () => number;
  /** Security events (failed logins, rate limiting) and first-start notices; never secrets. */
  readonly log?: (line: string) => void;
  /** Registry for the `vigil_auth_*` counters. */
  readonly metricsRegistry?: Registry;
  /** Password of the first admin (from `VIGIL_ADMIN_PASSWORD`); generated when unset. */
  readonly adminPassword?: string;
  /** Called once when the first admin is created (by this process). */
  readonly onAdminCreated?: (event: AdminCreatedEvent) => void;
  /** Failed logins allowed per username and client address in `loginWindowMs` (default 10 in 15 min; 5× that per address over all usernames). */
  readonly maxLoginFailures?: number;
  readonly loginWindowMs?: number;
}

/** A successful login: the cookie value (session id) exists only here and in the client's cookie. */
export interface LoginResult {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  readonly user: { readonly username: string; readonly role: Role };
}

/** Who presented a credential, plus the CSRF token when it was a session cookie. */
export interface Identity extends RequestUser {
  readonly csrfToken?: string;
  /** The session id (cookie value) when `via` is `session`. */
  readonly sessionId?: string;
}

/**
 * Users, sessions and API tokens of one monitor: logins with rate limiting, and resolution of a
 * session id or API token to a user. HTTP handling lives in the auth plugin.
 */
export interface AuthService {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly tokens: ApiTokenRepository;
  readonly metrics: AuthMetrics;
  /** The settings in effect. */
  config(): AuthConfig;
  /** The service's clock (ms). */
  now(): number;
  /** Applies the auth migrations and creates the first admin when no user exists. */
  init(): Promise<void>;
  /**
   * Checks a username and password and starts a session. Throws `AuthError` with
   * `VIGIL_ERR_RATE_LIMITED` (with `retryAfterMs`) or `VIGIL_ERR_INVALID_CREDENTIALS`.
   */
  login(username: string, password: string, client: string): Promise<LoginResult>;
  /** The user a session id belongs to, or undefined. */
  identifySession(sessionId: string): Promise<Identity | undefined>;
  /** The user an API token acts as (`token:<name>`), or undefined. */
  identifyToken(secret: string): Promise<Identity | undefined>;
  /** Creates a user (for admins, the CLI and tests). */
  createUser(input: { username: string; password: string; role: Role }): Promise<UserInfo>;
  /** Creates an API token; the returned `token` is the only copy of the secret. */
  createToken(input: { name: string; role: Role; expiresAt?: number; createdBy?: string }): Promise<{ token: string; info: ApiTokenInfo }>;
}

/** A rate-limited login: carries how long the client should wait. */
export class LoginRateLimitedError extends AuthError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super(AuthErrorCode.rateLimited, 'too many failed logins; try again later');
    this.retryAfterMs = retryAfterMs;
  }
}

/** Quotes a user-supplied value for a log line (no line breaks or control characters injected). */
function q(s: string): string {
  return JSON.stringify(s.slice(0, 64));
}

/** Creates the auth service; call `init()` before use. */
export function createAuthService(options: AuthServiceOptions): AuthService {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const store = options.store;
  const users = createUserRepository(store, now);
  const sessions = createSessionRepository(store, now, () => options.config().session_ttl_ms);
  const tokens = createApiTokenRepository(store, now);
  const metrics = createAuthMetrics(options.metricsRegistry);
  const limiter: LoginRateLimiter = createLoginRateLimiter({ now, ...(options.maxLoginFailures ? { maxFailures: options.maxLoginFailures } : {}), ...(options.loginWindowMs ? { windowMs: options.loginWindowMs } : {}) });
  // Guessing across many usernames from one address is limited too, more loosely (a shared NAT).
  const perClient: LoginRateLimiter = createLoginRateLimiter({ now, maxFailures: 5 * (options.maxLoginFailures ?? 10), ...(options.loginWindowMs ? { windowMs: options.loginWindowMs } : {}) });
  // Each check costs one scrypt (32 MiB, tens of ms of CPU): cap them so a flood cannot starve the monitor.
  const MAX_CONCURRENT_CHECKS = 4;
  let checking = 0;

  return {
    users,
    sessions,
    tokens,
    metrics,
    config: options.config,
    now,
    async init() {
      await store.migrate(AUTH_MIGRATION_NAMESPACE, authMigrations);
      if ((await users.count()) > 0) return;
      const generated = options.adminPassword === undefined || options.adminPassword === '';
      const password = generated ? randomPassword() : options.adminPassword!;
      const created = await users.create({ username: 'admin', password, role: 'admin' }, { ifAbsent: true });
      if (!created) return;
      log(`auth: created the first user "admin" (role admin) with the password ${generated ? 'generated at first start' : 'from VIGIL_ADMIN_PASSWORD'}`);
      options.onAdminCreated?.({ username: 'admin', generated, ...(generated ? { password } : {}) });
    },
    async login(username, password, client) {
      if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '' || password.length > 1024) {
        metrics.loginFailures.inc({ reason: 'invalid_input' });
        throw new AuthError(AuthErrorCode.invalidCredentials, 'invalid username or password');
      }
      const key = `${username.toLowerCase()}|${client}`;
      const wait = Math.max(limiter.retryAfter(key), perClient.retryAfter(client));
      if (wait > 0) {
        metrics.loginFailures.inc({ reason: 'rate_limited' });
        log(`security: login rate-limited user=${q(username)} client=${q(client)}`);
        throw new LoginRateLimitedError(wait);
      }
      if (checking >= MAX_CONCURRENT_CHECKS) {
        metrics.loginFailures.inc({ reason: 'busy' });
        throw new LoginRateLimitedError(1000);
      }
      checking++;
      let user;
      try {
        user = await users.verify(username, password);
      } finally {
        checking--;
      }
      if (!user) {
        limiter.fail(key);
        perClient.fail(client);
        metrics.loginFailures.inc({ reason: 'bad_credentials' });
        log(`security: login failed user=${q(username)} client=${q(client)}`);
        throw new AuthError(AuthErrorCode.invalidCredentials, 'invalid username or password');
      }
      limiter.reset(key);
      // Abandoned sessions are never looked up again: sweep expired ones as logins happen.
      await sessions.prune();
      const s = await sessions.create(user.username);
      metrics.logins.inc();
      log(`security: login user=${q(user.username)} client=${q(client)}`);
      return { sessionId: s.id, csrfToken: s.csrfToken, expiresAt: s.expiresAt, user: { username: user.username, role: user.role } };
    },
    async identifySession(sessionId) {
      const s = await sessions.lookup(sessionId);
      return s ? { username: s.username, role: s.role, via: 'session', csrfToken: s.csrfToken, sessionId } : undefined;
    },
    async identifyToken(secret) {
      const t = await tokens.verify(secret);
      return t ? { username: `token:${t.name}`, role: t.role, via: 'token' } : undefined;
    },
    async createUser(input) {
      await users.create(input);
      return (await users.get(input.username))!;
    },
    createToken(input) {
      return tokens.create({ name: input.name, role: input.role, createdBy: input.createdBy ?? 'admin', ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}) });
    },
  };
}
