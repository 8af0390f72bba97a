import { describe, expect, it } from 'vitest';
import { createRouteMatcher, normalizeMethod } from './route-label.js';

describe('normalizeMethod', () => {
  it('keeps standard methods and maps the rest to _OTHER', () => {
    expect(normalizeMethod('GET')).toBe('GET');
    expect(normalizeMethod('patch')).toBe('PATCH');
    expect(normalizeMethod('PROPFIND')).toBe('_OTHER');
    expect(normalizeMethod('X'.repeat(1000))).toBe('_OTHER');
    expect(normalizeMethod(undefined)).toBe('_OTHER');
  });
});

describe('createRouteMatcher', () => {
  it('returns the first matching template, ignoring the query string', () => {
    const match = createRouteMatcher(['/users/me', '/users/:id', '/files/*', '/a.b']);
    expect(match('/users/me')).toBe('/users/me');
    expect(match('/users/42?x=1')).toBe('/users/:id');
    expect(match('/users/42/')).toBe('/users/:id');
    expect(match('/users/42/posts')).toBeUndefined();
    expect(match('/files/a/b/c')).toBe('/files/*');
    expect(match('/aXb')).toBeUndefined();
  });
});
