import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every API token, so leaked tokens are recognisable by secret scanners. */
export const API_TOKEN_PREFIX = 'vgl_';

/** A random 256-bit secret as base64url (43 characters): session ids and token bodies. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A new API token secret: `vgl_` followed by 43 base64url characters (256 bits). */
export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomSecret();
}

/** Whether a string has the shape of an API token (cheap check before any lookup). */
export function looksLikeApiToken(s: string): boolean {
  return /^vgl_[A-Za-z0-9_-]{43}$/.test(s);
}

/**
 * The SHA-256 (hex) under which a session id or API token is stored: the secrets are 256 random
 * bits, so a fast hash suffices and a stolen database holds nothing usable.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two strings in time that depends only on their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A random password for the first admin: 24 base64url characters (144 bits). */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
