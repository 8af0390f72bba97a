import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { roleAtLeast, setRequestUser, type RequestUser } from '../http/request-user.js';
import { classifyRequest } from './classify.js';
import { presentedCredential } from './credentials.js';
import { csrfRequired, csrfValid, CSRF_HEADER } from './csrf.js';
import { AuthError, AuthErrorCode } from './errors.js';
import { identities, sendAuthError } from './reply.js';
import { registerAuthRoutes } from './routes.js';
import type { AuthService, Identity } from './service.js';

/** Options of {@link createAuthPlugin}. */
export interface AuthPluginOptions {
  readonly auth: AuthService;
  /** Where errors of the auth store are reported (never with secrets). */
  readonly log?: (line: string) => void;
}

const ANONYMOUS_ADMIN: RequestUser = { username: 'anonymous', role: 'admin', via: 'anonymous' };

/** The path to classify: the route pattern fastify matched, else the decoded URL path (a 404). */
function routePath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern) return pattern;
  const raw = request.url.split('?')[0]!;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function identify(auth: AuthService, request: FastifyRequest): Promise<Identity | 'invalid' | undefined> {
  const cred = presentedCredential(request.headers);
  if (!cred) return undefined;
  if (cred.kind === 'malformed') return 'invalid';
  const who = cred.kind === 'token' ? await auth.identifyToken(cred.secret) : await auth.identifySession(cred.id);
  return who ?? 'invalid';
}

/**
 * Creates the auth plugin: one global `onRequest` hook that classifies every request by route and
 * method (public, open compat API, or a login with a minimum role), resolves the session cookie or
 * API token, enforces CSRF on cookie-authenticated writes, and records the user with
 * `setRequestUser`; plus the login/logout/me, users and tokens routes. Register it before the other
 * plugins. With `server.auth.enabled: false` every request is an anonymous admin.
 */
export function createAuthPlugin(options: AuthPluginOptions): FastifyPluginAsync {
  const { auth } = options;
  const log = options.log ?? (() => undefined);
  const plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      const cfg = auth.config();
      if (!cfg.enabled) {
        setRequestUser(request, ANONYMOUS_ADMIN);
        return;
      }
      const access = classifyRequest(request.method, routePath(request), cfg.compat_apis);
      if (access.kind === 'public') return;
      let who: Identity | 'invalid' | undefined;
      try {
        who = await identify(auth, request);
      } catch (err) {
        log(`auth: cannot check credentials: ${(err as Error).message}`);
        // An open compat API needs no login: it keeps answering (anonymously) while the store is down.
        if (access.kind === 'open') return;
        return sendAuthError(reply, new AuthError(AuthErrorCode.unavailable, 'authentication is temporarily unavailable', { cause: err }));
      }
      const csrfOk = (id: Identity): boolean => !csrfRequired(request.method, id.via) || csrfValid(id.csrfToken ?? '', request.headers[CSRF_HEADER]);
      if (access.kind === 'open') {
        // Open compat API: nothing required; a valid credential still names the actor.
        if (who && who !== 'invalid' && csrfOk(who)) {
          setRequestUser(request, { username: who.username, role: who.role, via: who.via });
          identities.set(request, who);
        }
        return;
      }
      let refusal: AuthError | undefined;
      if (who === undefined || who === 'invalid') refusal = new AuthError(AuthErrorCode.unauthenticated, who ? 'invalid or expired credentials' : 'authentication required');
      else if (!csrfOk(who)) refusal = new AuthError(AuthErrorCode.csrf, `missing or wrong ${CSRF_HEADER} header`);
      else if (!roleAtLeast(who.role, access.role)) refusal = new AuthError(AuthErrorCode.forbidden, `role ${who.role} may not do this (needs ${access.role})`);
      if (refusal) {
        auth.metrics.rejected.inc({ code: refusal.code });
        if (refusal.status === 401 && (request.url.startsWith('/api/v1') || request.url.startsWith('/api/v2') || request.url.startsWith('/federate') || request.url.startsWith('/metrics'))) {
          // Tools (promtool, amtool, Grafana) understand the standard challenge.
          reply.header('www-authenticate', 'Bearer realm="vigil"');
        }
        return sendAuthError(reply, refusal);
      }
      const id = who as Identity;
      setRequestUser(request, { username: id.username, role: id.role, via: id.via });
      identities.set(request, id);
    });
    registerAuthRoutes(app, auth, log);
  };
  // Like fastify-plugin: the hook must apply to every route of the server, not only to this plugin's.
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
