import type { Role } from '../http/request-user.js';

/**
 * What a request needs: `public` (no login, nobody identified), `open` (a compat API in open mode:
 * no login needed, a presented credential is still checked and attributed), or a login with at
 * least `role`.
 */
export type Access = { readonly kind: 'public' } | { readonly kind: 'open' } | { readonly kind: 'login'; readonly role: Role };

/** How the compat APIs (Prometheus API v1, Alertmanager API v2, /metrics, /federate, /-/*) are protected. */
export type CompatMode = 'open' | 'token';

const PUBLIC: Access = { kind: 'public' };
const OPEN: Access = { kind: 'open' };
const login = (role: Role): Access => ({ kind: 'login', role });

const isRead = (method: string): boolean => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(prefix + '/');

// Prometheus API v1 endpoints that accept POST only because long queries do not fit in a URL.
const V1_READ_POSTS = new Set(['/api/v1/query', '/api/v1/query_range', '/api/v1/series', '/api/v1/labels', '/api/v1/query_exemplars', '/api/v1/format_query', '/api/v1/parse_query']);

function compat(method: string, path: string): Access {
  if (under(path, '/-') && !['/-/healthy', '/-/ready'].includes(path)) return login(isRead(method) ? 'viewer' : 'admin');
  if (under(path, '/api/v1/admin')) return login('admin');
  if (isRead(method)) return login('viewer');
  if (V1_READ_POSTS.has(path)) return login('viewer');
  // Alert pushes from Prometheus and silence changes act on alerting: responders.
  return login('responder');
}

/**
 * Classifies a request by its route path (the pattern fastify matched, e.g. `/api/vigil/users/:name`,
 * or the decoded path when no route matched) and method, following the URL-space table of
 * docs/auth.md. Anything not listed needs a login (deny by default).
 */
export function classifyRequest(method: string, path: string, compatMode: CompatMode): Access {
  const m = method.toUpperCase();
  // Public: login/logout, the status page and its API, the SPA shell and its static assets.
  if (path === '/api/vigil/auth/login' || path === '/api/vigil/auth/logout') return PUBLIC;
  if (under(path, '/status') || under(path, '/api/public')) return PUBLIC;
  if (path === '/' || under(path, '/ui') || path === '/favicon.ico') return isRead(m) ? PUBLIC : login('responder');
  // Liveness/readiness of the monitor itself are probed by orchestrators without credentials.
  if (path === '/-/healthy' || path === '/-/ready') return PUBLIC;

  if (under(path, '/api/v1') || under(path, '/api/v2') || path === '/federate' || path === '/metrics' || under(path, '/-')) {
    return compatMode === 'open' ? OPEN : compat(m, path);
  }

  if (path === '/api/vigil/auth/me' || path === '/api/vigil/users/me/password') return login('viewer');
  if (under(path, '/api/vigil/users') || under(path, '/api/vigil/tokens')) return login('admin');
  return login(isRead(m) ? 'viewer' : 'responder');
}
