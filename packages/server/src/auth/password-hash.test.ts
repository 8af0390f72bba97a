import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, parsePasswordHash, verifyPassword } from './password-hash.js';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('stores the parameters and a per-hash salt, never the password', async () => {
    const a = await hashPassword('s3cret-password');
    const b = await hashPassword('s3cret-password');
    expect(a).toMatch(/^\$scrypt\$N=32768,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret-password');
    expect(parsePasswordHash(a)!.salt.length).toBe(16);
  });

  it('verifies hashes made with other parameters and flags weaker ones for rehash', async () => {
    const weak = await hashPassword('another password', { N: 1024, r: 8, p: 1 });
    expect(weak).toMatch(/N=1024,/);
    expect(await verifyPassword('another password', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('another password'))).toBe(false);
  });

  it('treats malformed or absurd hashes as non-matching', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$N=1000,r=8,p=1$AAAA$AAAA')).toBe(false); // N not a power of two
    expect(await verifyPassword('x', '$scrypt$N=1073741824,r=8,p=1$AAAA$AAAA')).toBe(false);
  });
});
