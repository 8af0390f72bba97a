import { describe, expect, it } from 'vitest';
import { hashSecret, looksLikeApiToken, newApiToken, randomSecret, safeEqual } from './secrets.js';

describe('secrets', () => {
  it('API tokens are vgl_ + 43 base64url characters (256 bits), all different', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newApiToken()));
    expect(tokens.size).toBe(50);
    for (const t of tokens) {
      expect(t).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
      expect(looksLikeApiToken(t)).toBe(true);
    }
    expect(looksLikeApiToken('vgl_short')).toBe(false);
    expect(looksLikeApiToken(`xyz_${randomSecret()}`)).toBe(false);
  });

  it('stores SHA-256 hex of a secret, not the secret', () => {
    const t = newApiToken();
    const h = hashSecret(t);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(t.slice(4));
    expect(hashSecret(t)).toBe(h);
    expect(hashSecret(newApiToken())).not.toBe(h);
  });

  it('safeEqual compares contents', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
