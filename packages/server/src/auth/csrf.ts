import type { RequestUser } from '../http/request-user.js';
import { safeEqual } from './secrets.js';

/** Name of the header that carries the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Whether a request must carry the session's CSRF token: every method other than GET/HEAD/OPTIONS
 * when the credential is the session cookie (the browser sends cookies on its own; bearer tokens and
 * basic auth are sent only by code that holds them, so they are exempt).
 */
export function csrfRequired(method: string, via: RequestUser['via']): boolean {
  const m = method.toUpperCase();
  return via === 'session' && m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS';
}

/** Whether the header value presented matches the session's synchronizer token (constant time). */
export function csrfValid(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  return safeEqual(expected, presented);
}
