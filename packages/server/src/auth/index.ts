/** Auth: users, sessions, CSRF, API tokens, and the global access check of the monitor's HTTP server. */
export { createAuthService, LoginRateLimitedError } from './service.js';
export type { AuthService, AuthServiceOptions, AdminCreatedEvent, LoginResult, Identity } from './service.js';
export { createAuthPlugin } from './plugin.js';
export type { AuthPluginOptions } from './plugin.js';
export { requestIdentity } from './reply.js';
export { classifyRequest } from './classify.js';
export type { Access, CompatMode } from './classify.js';
export { csrfRequired, csrfValid, CSRF_HEADER } from './csrf.js';
export { SESSION_COOKIE } from './credentials.js';
export { hashPassword, verifyPassword, needsRehash, DEFAULT_SCRYPT_PARAMS } from './password-hash.js';
export type { ScryptParams } from './password-hash.js';
export { API_TOKEN_PREFIX, newApiToken, looksLikeApiToken } from './secrets.js';
export { AuthError, AuthErrorCode } from './errors.js';
export { AUTH_METRIC_NAMES } from './metrics.js';
export { AUTH_MIGRATION_NAMESPACE, authMigrations } from './migrations.js';
export type { UserInfo, UserRepository } from './users.js';
export type { ApiTokenInfo, ApiTokenRepository } from './api-tokens.js';
export type { SessionRepository, SessionInfo } from './sessions.js';
