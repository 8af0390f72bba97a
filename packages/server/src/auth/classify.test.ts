import { describe, expect, it } from 'vitest';
import { classifyRequest, type Access } from './classify.js';

const P: Access = { kind: 'public' };
const O: Access = { kind: 'open' };
const V: Access = { kind: 'login', role: 'viewer' };
const R: Access = { kind: 'login', role: 'responder' };
const A: Access = { kind: 'login', role: 'admin' };

// [method, path, access in compat "open" mode, access in compat "token" mode]
const table: [string, string, Access, Access][] = [
  ['POST', '/api/vigil/auth/login', P, P],
  ['POST', '/api/vigil/auth/logout', P, P],
  ['GET', '/api/vigil/auth/me', V, V],
  ['POST', '/api/vigil/users/me/password', V, V],
  ['GET', '/api/vigil/users', A, A],
  ['POST', '/api/vigil/users', A, A],
  ['PATCH', '/api/vigil/users/:username', A, A],
  ['GET', '/api/vigil/tokens', A, A],
  ['DELETE', '/api/vigil/tokens/:id', A, A],
  ['GET', '/api/vigil/incidents', V, V],
  ['HEAD', '/api/vigil/incidents/:id', V, V],
  ['POST', '/api/vigil/incidents/:id/acknowledge', R, R],
  ['POST', '/api/vigil/incidents', R, R],
  ['GET', '/emergency/status', V, V],
  ['GET', '/api/vigil/overview', V, V],
  ['GET', '/api/vigil/stream', V, V],
  ['GET', '/api/vigil/services/:name', V, V],
  ['GET', '/', P, P],
  ['GET', '/ui/*', P, P],
  ['GET', '/ui/assets/app.js', P, P],
  ['GET', '/status', P, P],
  ['GET', '/status/*', P, P],
  ['GET', '/api/public/status', P, P],
  ['GET', '/-/healthy', P, P],
  ['GET', '/-/ready', P, P],
  ['GET', '/api/v1/query', O, V],
  ['POST', '/api/v1/query', O, V],
  ['POST', '/api/v1/query_range', O, V],
  ['GET', '/api/v1/targets', O, V],
  ['POST', '/api/v1/admin/tsdb/delete_series', O, A],
  ['POST', '/-/reload', O, A],
  ['GET', '/metrics', O, V],
  ['GET', '/federate', O, V],
  ['GET', '/api/v2/alerts', O, V],
  ['POST', '/api/v2/alerts', O, R],
  ['POST', '/api/v2/silences', O, R],
  ['DELETE', '/api/v2/silence/:id', O, R],
  // Deny by default: unknown paths and look-alikes of public prefixes need a login.
  ['GET', '/secret-new-route', V, V],
  ['POST', '/secret-new-route', R, R],
  ['GET', '/statusx', V, V],
  ['GET', '/uix/app.js', V, V],
  ['GET', '/api/vigil/usersx', V, V],
  ['GET', '/api/vigil/auth/login', P, P],
];

describe('classifyRequest (path × method → access)', () => {
  it.each(table)('%s %s', (method, path, open, token) => {
    expect(classifyRequest(method, path, 'open')).toEqual(open);
    expect(classifyRequest(method, path, 'token')).toEqual(token);
  });
});
