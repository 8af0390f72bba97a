import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseConfigDuration } from '../config/duration.js';
import { getRequestUser, type Role } from '../http/request-user.js';
import { clientAddress, isHttps, presentedCredential, sessionCookie } from './credentials.js';
import { AuthError, AuthErrorCode } from './errors.js';
import { requestIdentity, sendAuthError } from './reply.js';
import type { AuthService } from './service.js';
import { checkPassword, checkRole, checkUsername } from './users.js';

type Body = Record<string, unknown>;
const q = (s: string): string => JSON.stringify(s.slice(0, 64));
const actor = (request: FastifyRequest): string => q(getRequestUser(request)?.username ?? 'anonymous');
const body = (request: FastifyRequest): Body => (request.body && typeof request.body === 'object' ? (request.body as Body) : {});

/** Runs a handler, turning `AuthError`s into `{error, code}` answers; other errors are reported without detail. */
function handler(log: (line: string) => void) {
  return (fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => handleWith(log, fn);
}

function handleWith(log: (line: string) => void, fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    reply.header('cache-control', 'no-store');
    try {
      return await fn(request, reply);
    } catch (err) {
      if (err instanceof AuthError) return sendAuthError(reply, err);
      log(`auth: ${request.method} ${request.routeOptions.url ?? ''} failed: ${(err as Error).message}`);
      return sendAuthError(reply, new AuthError(AuthErrorCode.unavailable, 'the auth store failed; try again', { cause: err }));
    }
  };
}

async function lastAdminGuard(auth: AuthService, username: string, change: { role?: Role; disabled?: boolean }): Promise<void> {
  const target = await auth.users.get(username);
  if (!target || target.role !== 'admin' || target.disabled) return;
  const demoted = (change.role !== undefined && change.role !== 'admin') || change.disabled === true;
  if (!demoted) return;
  const admins = (await auth.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
  if (admins.length <= 1) throw new AuthError(AuthErrorCode.invalidInput, 'cannot demote or disable the last enabled admin');
}

/** Registers `/api/vigil/auth/*`, `/api/vigil/users*` and `/api/vigil/tokens*` (access is enforced by the auth hook). */
export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, log: (line: string) => void): void {
  const handle = handler(log);
  app.post(
    '/api/vigil/auth/login',
    handle(async (request, reply) => {
      const cfg = auth.config();
      if (!cfg.enabled) return { user: { username: 'anonymous', role: 'admin' }, csrfToken: '' };
      const b = body(request);
      const result = await auth.login(b.username as string, b.password as string, clientAddress(request, cfg));
      // A fresh id at every login (no session fixation); the session the browser held before ends.
      const previous = presentedCredential({ cookie: request.headers.cookie });
      if (previous?.kind === 'session') await auth.sessions.delete(previous.id);
      reply.header('set-cookie', sessionCookie(result.sessionId, { secure: cfg.secure_cookies || isHttps(request, cfg) }));
      return { user: result.user, csrfToken: result.csrfToken };
    }),
  );

  app.post(
    '/api/vigil/auth/logout',
    handle(async (request, reply) => {
      const cfg = auth.config();
      const cred = presentedCredential({ cookie: request.headers.cookie });
      if (cred?.kind === 'session') await auth.sessions.delete(cred.id);
      reply.header('set-cookie', sessionCookie('', { secure: cfg.secure_cookies || isHttps(request, cfg) }));
      return reply.code(204).send();
    }),
  );

  app.get(
    '/api/vigil/auth/me',
    handle(async (request) => {
      const user = getRequestUser(request)!;
      return { user: { username: user.username, role: user.role }, csrfToken: requestIdentity(request)?.csrfToken ?? '' };
    }),
  );

  app.post(
    '/api/vigil/users/me/password',
    handle(async (request, reply) => {
      const id = requestIdentity(request);
      if (!id || id.via !== 'session') throw new AuthError(AuthErrorCode.invalidInput, 'only a logged-in user can change their own password');
      const b = body(request);
      const next = checkPassword(b.new_password);
      if (typeof b.old_password !== 'string' || !(await auth.users.verify(id.username, b.old_password))) {
        throw new AuthError(AuthErrorCode.invalidCredentials, 'the old password is wrong');
      }
      await auth.users.setPassword(id.username, next);
      // Other sessions (a stolen cookie, another device) end; this one stays.
      await auth.sessions.deleteForUser(id.username, id.sessionId);
      log(`security: password changed by user=${q(id.username)}`);
      return reply.code(204).send();
    }),
  );

  app.get(
    '/api/vigil/users',
    handle(async () => ({ users: await auth.users.list() })),
  );

  app.post(
    '/api/vigil/users',
    handle(async (request, reply) => {
      const b = body(request);
      const user = await auth.createUser({ username: checkUsername(b.username), password: checkPassword(b.password), role: checkRole(b.role ?? 'viewer') });
      log(`security: user=${q(user.username)} created with role ${user.role} by ${actor(request)}`);
      return reply.code(201).send({ user });
    }),
  );

  app.get(
    '/api/vigil/users/:username',
    handle(async (request) => {
      const { username } = request.params as { username: string };
      const user = await auth.users.get(username);
      if (!user) throw new AuthError(AuthErrorCode.userNotFound, `no user "${username.slice(0, 64)}"`);
      return { user };
    }),
  );

  app.patch(
    '/api/vigil/users/:username',
    handle(async (request) => {
      const { username } = request.params as { username: string };
      const b = body(request);
      if (!(await auth.users.get(username))) throw new AuthError(AuthErrorCode.userNotFound, `no user "${username.slice(0, 64)}"`);
      const role = b.role !== undefined ? checkRole(b.role) : undefined;
      const password = b.password !== undefined ? checkPassword(b.password) : undefined;
      if (b.disabled !== undefined && typeof b.disabled !== 'boolean') throw new AuthError(AuthErrorCode.invalidInput, 'disabled must be true or false');
      const disabled = b.disabled as boolean | undefined;
      await lastAdminGuard(auth, username, { ...(role ? { role } : {}), ...(disabled !== undefined ? { disabled } : {}) });
      if (role) await auth.users.setRole(username, role);
      if (disabled !== undefined) await auth.users.setDisabled(username, disabled);
      if (password !== undefined) await auth.users.setPassword(username, password);
      // A reset password or a disabled account must not leave sessions behind.
      if (password !== undefined || disabled === true) await auth.sessions.deleteForUser(username);
      const changes = [role ? `role=${role}` : '', disabled !== undefined ? `disabled=${disabled}` : '', password !== undefined ? 'password reset' : ''].filter(Boolean).join(', ');
      log(`security: user=${q(username)} changed (${changes || 'nothing'}) by ${actor(request)}`);
      return { user: await auth.users.get(username) };
    }),
  );

  app.get(
    '/api/vigil/tokens',
    handle(async () => ({ tokens: await auth.tokens.list() })),
  );

  app.post(
    '/api/vigil/tokens',
    handle(async (request, reply) => {
      const b = body(request);
      let expiresAt: number | undefined;
      if (b.expires_at !== undefined) {
        expiresAt = typeof b.expires_at === 'string' ? Date.parse(b.expires_at) : NaN;
        if (Number.isNaN(expiresAt)) throw new AuthError(AuthErrorCode.invalidInput, 'expires_at must be an RFC 3339 time');
      } else if (b.expires_in !== undefined) {
        const ms = typeof b.expires_in === 'string' ? parseConfigDuration(b.expires_in) : undefined;
        if (ms === undefined || ms <= 0) throw new AuthError(AuthErrorCode.invalidInput, 'expires_in must be a duration such as 30d or 12h');
        expiresAt = auth.now() + ms;
      }
      const created = await auth.createToken({
        name: b.name as string,
        role: checkRole(b.role ?? 'viewer'),
        createdBy: getRequestUser(request)?.username ?? 'anonymous',
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      log(`security: API token id=${created.info.id} name=${q(created.info.name)} role ${created.info.role} created by ${actor(request)}`);
      return reply.code(201).send({ token: created.token, ...created.info });
    }),
  );

  app.delete(
    '/api/vigil/tokens/:id',
    handle(async (request, reply) => {
      const id = (request.params as { id: string }).id;
      await auth.tokens.revoke(id);
      log(`security: API token id=${q(id)} revoked by ${actor(request)}`);
      return reply.code(204).send();
    }),
  );
}
