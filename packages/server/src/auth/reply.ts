import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthError } from './errors.js';
import type { Identity } from './service.js';

/** Identities established by the auth hook, per request (with the session's CSRF token and id). */
export const identities = new WeakMap<FastifyRequest, Identity>();

/** The identity (with its CSRF token and session id) the auth hook established for a request. */
export function requestIdentity(request: FastifyRequest): Identity | undefined {
  return identities.get(request);
}

/** Sends an auth error as `{error, code}` with its status (and Retry-After when rate limited). */
export function sendAuthError(reply: FastifyReply, err: AuthError): FastifyReply {
  const retry = (err as { retryAfterMs?: number }).retryAfterMs;
  if (retry !== undefined) reply.header('retry-after', String(Math.ceil(retry / 1000)));
  return reply.code(err.status).header('cache-control', 'no-store').send({ error: err.message, code: err.code });
}
