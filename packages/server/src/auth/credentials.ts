import type { FastifyRequest } from 'fastify';
import type { AuthConfig } from '../config/types.js';
import { API_TOKEN_PREFIX } from './secrets.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'vigil_session';

/** A credential found on a request: an API token (bearer, or the password of HTTP basic auth) or a session cookie. */
export type PresentedCredential = { readonly kind: 'token'; readonly secret: string } | { readonly kind: 'session'; readonly id: string } | { readonly kind: 'malformed' };

/** The value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The credential a request presents. An API token in the Authorization header wins over the
 * cookie: `Bearer vgl_…`, or `Basic` whose password is `vgl_…` (what promtool/amtool
 * `--http.config.file` send). An Authorization header that carries no Vigil token (say, the basic
 * auth of a reverse proxy in front of Vigil) does not hide the session cookie; with no cookie it is
 * `malformed` (answered 401, never ignored).
 */
export function presentedCredential(headers: FastifyRequest['headers']): PresentedCredential | undefined {
  const auth = headers.authorization;
  const id = readCookie(headers.cookie, SESSION_COOKIE);
  if (typeof auth === 'string' && auth.length > 0) {
    const sp = auth.indexOf(' ');
    const scheme = (sp < 0 ? auth : auth.slice(0, sp)).toLowerCase();
    const value = sp < 0 ? '' : auth.slice(sp + 1).trim();
    let secret: string | undefined;
    if (scheme === 'bearer' && value) secret = value;
    if (scheme === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) secret = decoded.slice(colon + 1);
    }
    if (secret !== undefined && (secret.startsWith(API_TOKEN_PREFIX) || !id)) return { kind: 'token', secret };
    if (!id) return { kind: 'malformed' };
  }
  return id ? { kind: 'session', id } : undefined;
}

/** Whether the client reached us over https (directly, or via a trusted TLS-terminating proxy). */
export function isHttps(request: FastifyRequest, config: AuthConfig): boolean {
  if (request.protocol === 'https') return true;
  const fwd = request.headers['x-forwarded-proto'];
  return config.trust_proxy && typeof fwd === 'string' && fwd.split(',')[0]!.trim().toLowerCase() === 'https';
}

/** The client address used for login rate limiting: the socket peer, or the address a trusted proxy appended. */
export function clientAddress(request: FastifyRequest, config: AuthConfig): string {
  const fwd = request.headers['x-forwarded-for'];
  if (config.trust_proxy && typeof fwd === 'string' && fwd.trim()) {
    const parts = fwd.split(',');
    return parts[parts.length - 1]!.trim();
  }
  return request.socket.remoteAddress ?? request.ip;
}

/**
 * The Set-Cookie value that stores a session, or clears it when `id` is empty. The cookie has no
 * Max-Age: its lifetime is enforced on the server (sliding `session_ttl`), so a session in use never
 * ends while the browser keeps a stale expiry.
 */
export function sessionCookie(id: string, options: { secure: boolean }): string {
  const attrs = [`${SESSION_COOKIE}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (!id) attrs.push('Max-Age=0');
  if (options.secure) attrs.push('Secure');
  return attrs.join('; ');
}
