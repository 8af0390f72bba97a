import { describe, expect, it } from 'vitest';
import { csrfRequired, csrfValid } from './csrf.js';

describe('CSRF rules', () => {
  it('is required for cookie-authenticated writes only', () => {
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(csrfRequired(m, 'session')).toBe(true);
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(csrfRequired(m, 'session')).toBe(false);
    for (const m of ['POST', 'DELETE']) {
      expect(csrfRequired(m, 'token')).toBe(false);
      expect(csrfRequired(m, 'anonymous')).toBe(false);
    }
  });

  it('accepts only the exact token in one header value', () => {
    expect(csrfValid('abc123', 'abc123')).toBe(true);
    expect(csrfValid('abc123', 'abc124')).toBe(false);
    expect(csrfValid('abc123', undefined)).toBe(false);
    expect(csrfValid('abc123', '')).toBe(false);
    expect(csrfValid('abc123', ['abc123', 'abc123'])).toBe(false);
    expect(csrfValid('', '')).toBe(false);
  });
});
