// Who is logged in: read from /api/vigil/auth/me; its CSRF token goes on every state-changing call.
import { api, ApiError, setCsrfToken } from './api.js';

/** The logged-in user (anonymous admin when auth is off). */
export interface SessionUser {
  readonly username: string;
  readonly role: 'viewer' | 'responder' | 'admin';
}

const RANK = { viewer: 0, responder: 1, admin: 2 } as const;

/** Whether `user` has at least `role`. */
export function can(user: SessionUser | null, role: SessionUser['role']): boolean {
  return !!user && RANK[user.role] >= RANK[role];
}

/** The current session, or null when a login is needed. */
export async function loadSession(): Promise<SessionUser | null> {
  try {
    const me = await api<{ user: SessionUser; csrfToken?: string }>('/api/vigil/auth/me', { quiet401: true });
    setCsrfToken(me.csrfToken ?? '');
    return me.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    // No auth endpoints (auth not enabled in this build): everyone acts as anonymous admin.
    if (err instanceof ApiError && err.status === 404) return { username: 'anonymous', role: 'admin' };
    throw err;
  }
}

/** Logs in; resolves to the user, throws ApiError on bad credentials. */
export async function login(username: string, password: string): Promise<SessionUser> {
  const r = await api<{ user: SessionUser; csrfToken: string }>('/api/vigil/auth/login', { method: 'POST', body: { username, password }, quiet401: true });
  setCsrfToken(r.csrfToken);
  return r.user;
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await api('/api/vigil/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  setCsrfToken('');
}
