import { describe, expect, it } from 'vitest';
import { presentedCredential, readCookie, sessionCookie } from './credentials.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const token = `vgl_${'a'.repeat(43)}`;

describe('presentedCredential', () => {
  it('reads bearer tokens, basic auth whose password is a token, and the session cookie', () => {
    expect(presentedCredential({ authorization: `Bearer ${token}` })).toEqual({ kind: 'token', secret: token });
    expect(presentedCredential({ authorization: `basic ${b64(`grafana:${token}`)}` })).toEqual({ kind: 'token', secret: token });
    expect(presentedCredential({ cookie: 'a=1; vigil_session=abc; b=2' })).toEqual({ kind: 'session', id: 'abc' });
    expect(presentedCredential({})).toBeUndefined();
  });

  it('a Vigil token wins over the cookie; a foreign Authorization header (a proxy’s basic auth) does not hide it', () => {
    expect(presentedCredential({ authorization: `Bearer ${token}`, cookie: 'vigil_session=abc' })).toEqual({ kind: 'token', secret: token });
    expect(presentedCredential({ authorization: `Basic ${b64('alice:proxy-password')}`, cookie: 'vigil_session=abc' })).toEqual({ kind: 'session', id: 'abc' });
    expect(presentedCredential({ authorization: 'Negotiate xyz', cookie: 'vigil_session=abc' })).toEqual({ kind: 'session', id: 'abc' });
  });

  it('an unusable Authorization header without a cookie is refused, not ignored', () => {
    expect(presentedCredential({ authorization: 'Token abc' })).toEqual({ kind: 'malformed' });
    expect(presentedCredential({ authorization: 'Bearer' })).toEqual({ kind: 'malformed' });
    expect(presentedCredential({ authorization: `Basic ${b64('no-colon')}` })).toEqual({ kind: 'malformed' });
    expect(presentedCredential({ authorization: 'Bearer not-ours' })).toEqual({ kind: 'token', secret: 'not-ours' });
  });
});

describe('cookies', () => {
  it('reads one cookie by exact name', () => {
    expect(readCookie('vigil_session_x=1; vigil_session=2', 'vigil_session')).toBe('2');
    expect(readCookie(undefined, 'vigil_session')).toBeUndefined();
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and Secure when asked; clears with Max-Age=0', () => {
    expect(sessionCookie('abc', { secure: false })).toBe('vigil_session=abc; Path=/; HttpOnly; SameSite=Lax');
    expect(sessionCookie('abc', { secure: true })).toBe('vigil_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(sessionCookie('', { secure: false })).toBe('vigil_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });
});
