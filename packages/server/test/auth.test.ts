import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import type { AdminCreatedEvent } from '../src/auth/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ADMIN_PASSWORD = 'first-admin-password-1';
const monitors: Monitor[] = [];
afterEach(async () => {
  for (const m of monitors.splice(0)) await m.stop();
});

/** A monitor with no scrape targets, reached through inject (or HTTP with listen), with a movable clock and captured log. */
async function start(authYaml = '', opts: { listen?: boolean; dataDir?: string; adminPassword?: string; onAdminCreated?: (e: AdminCreatedEvent) => void } = {}) {
  // Starts at the real time: the alerting pipeline (silences) runs on the system clock.
  const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
  const logs: string[] = [];
  const yaml = `global:\n  scrape_interval: 1h\n${authYaml ? `server:\n  auth:\n${authYaml}` : ''}`;
  const monitor = await createMonitor({
    config: parseConfig(yaml, path.join(tmpdir(), 'vigil.yml')),
    listen: opts.listen ?? false,
    port: 0,
    now: () => clock.t,
    log: (l) => logs.push(l),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    auth: { adminPassword: opts.adminPassword ?? ADMIN_PASSWORD, ...(opts.onAdminCreated ? { onAdminCreated: opts.onAdminCreated } : {}) },
  });
  monitors.push(monitor);
  const seen: string[] = [];
  const call = async (method: string, url: string, o: { cookie?: string; csrf?: string; bearer?: string; basic?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.cookie) headers.cookie = o.cookie;
    if (o.csrf) headers['x-csrf-token'] = o.csrf;
    if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
    if (o.basic) headers.authorization = `Basic ${Buffer.from(o.basic).toString('base64')}`;
    const res = await monitor.app.inject({ method: method as 'GET', url, headers, ...(o.body !== undefined ? { payload: o.body as object } : {}) });
    let json: Json;
    try {
      json = res.json();
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, body: res.body, headers: res.headers, record: () => seen.push(res.body, JSON.stringify({ ...res.headers, 'set-cookie': undefined })) };
  };
  const login = async (username: string, password: string, headers?: Record<string, string>) => {
    const r = await call('POST', '/api/vigil/auth/login', { body: { username, password }, ...(headers ? { headers } : {}) });
    const setCookie = String(r.headers['set-cookie'] ?? '');
    const cookie = setCookie.split(';')[0]!;
    return { ...r, cookie, setCookie, csrf: r.json?.csrfToken as string, session: cookie.split('=')[1] ?? '' };
  };
  return { monitor, clock, logs, call, login, seen };
}

// Every login costs one scrypt (32 MiB, ~0.1-1 s on a loaded 2-core machine): allow for the busiest tests.
describe('auth on a real monitor (inject)', { timeout: 90_000 }, () => {
  it('login → me → protected GET; no cookie → 401; logout invalidates the session', async () => {
    const { call, login } = await start();
    expect((await call('GET', '/api/vigil/auth/me')).json).toEqual({ error: 'authentication required', code: 'VIGIL_ERR_UNAUTHENTICATED' });
    expect((await call('GET', '/api/vigil/users')).status).toBe(401);
    const s = await login('admin', ADMIN_PASSWORD);
    expect(s.status).toBe(200);
    expect(s.json.user).toEqual({ username: 'admin', role: 'admin' });
    expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.setCookie).toMatch(/^vigil_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    const me = await call('GET', '/api/vigil/auth/me', { cookie: s.cookie });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ user: { username: 'admin', role: 'admin' }, csrfToken: s.csrf });
    const users = await call('GET', '/api/vigil/users', { cookie: s.cookie });
    expect(users.json.users.map((u: Json) => [u.username, u.role, u.disabled])).toEqual([['admin', 'admin', false]]);
    expect(JSON.stringify(users.json)).not.toMatch(/hash|scrypt/);
    const out = await call('POST', '/api/vigil/auth/logout', { cookie: s.cookie });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^vigil_session=; .*Max-Age=0/);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: s.cookie })).json.code).toBe('VIGIL_ERR_UNAUTHENTICATED');
    expect((await call('GET', '/api/vigil/auth/me', { cookie: 'vigil_session=forged' })).status).toBe(401);
  });

  it('roles: a viewer reads but may not act on incidents or manage users; a role change applies to live sessions', async () => {
    const { monitor, call, login } = await start();
    await monitor.auth.createUser({ username: 'vera', password: 'viewer-password-1', role: 'viewer' });
    const v = await login('vera', 'viewer-password-1');
    expect((await call('GET', '/api/v1/query?query=up', { cookie: v.cookie })).status).toBe(200);
    const post = await call('POST', '/api/vigil/incidents', { cookie: v.cookie, csrf: v.csrf, body: { title: 'x', severity: 'critical' } });
    expect(post.status).toBe(403);
    expect(post.json.code).toBe('VIGIL_ERR_FORBIDDEN');
    expect((await call('GET', '/api/vigil/users', { cookie: v.cookie })).json.code).toBe('VIGIL_ERR_FORBIDDEN');
    // Percent-encoding does not dodge the admin-only rule: the route fastify matches is classified.
    expect((await call('GET', '/api/vigil/%75sers', { cookie: v.cookie })).status).toBe(403);
    expect((await call('GET', '/api/vigil/tokens/', { cookie: v.cookie })).status).toBe(403);

    const a = await login('admin', ADMIN_PASSWORD);
    const promote = await call('PATCH', '/api/vigil/users/vera', { cookie: a.cookie, csrf: a.csrf, body: { role: 'admin' } });
    expect(promote.json.user.role).toBe('admin');
    expect((await call('GET', '/api/vigil/users', { cookie: v.cookie })).status).toBe(200);
  });

  it('CSRF: a cookie-authenticated write needs X-CSRF-Token; a wrong one or another session’s is refused', async () => {
    const { monitor, call, login } = await start();
    await monitor.auth.createUser({ username: 'other', password: 'other-password-1', role: 'admin' });
    const s = await login('admin', ADMIN_PASSWORD);
    const o = await login('other', 'other-password-1');
    const body = { username: 'newbie', password: 'newbie-password', role: 'viewer' };
    const none = await call('POST', '/api/vigil/users', { cookie: s.cookie, body });
    expect(none.status).toBe(403);
    expect(none.json.code).toBe('VIGIL_ERR_CSRF');
    expect((await call('POST', '/api/vigil/users', { cookie: s.cookie, csrf: 'x'.repeat(43), body })).json.code).toBe('VIGIL_ERR_CSRF');
    expect((await call('POST', '/api/vigil/users', { cookie: s.cookie, csrf: o.csrf, body })).json.code).toBe('VIGIL_ERR_CSRF');
    expect(await monitor.auth.users.get('newbie')).toBeUndefined();
    const ok = await call('POST', '/api/vigil/users', { cookie: s.cookie, csrf: s.csrf, body });
    expect(ok.status).toBe(201);
    expect(ok.json.user).toMatchObject({ username: 'newbie', role: 'viewer', disabled: false });
    // GET needs no token.
    expect((await call('GET', '/api/vigil/users/newbie', { cookie: s.cookie })).status).toBe(200);
  });

  it('API tokens: created once, bearer and basic work and are exempt from CSRF; revoked and expired tokens get 401', async () => {
    const { clock, call, login } = await start("    compat_apis: token\n");
    const a = await login('admin', ADMIN_PASSWORD);
    const created = await call('POST', '/api/vigil/tokens', { cookie: a.cookie, csrf: a.csrf, body: { name: 'ci bot', role: 'responder' } });
    expect(created.status).toBe(201);
    const token = created.json.token as string;
    expect(token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    expect(created.json).toMatchObject({ name: 'ci bot', role: 'responder', created_by: 'admin' });
    const list = await call('GET', '/api/vigil/tokens', { cookie: a.cookie });
    expect(list.json.tokens).toHaveLength(1);
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain(token.slice(4));

    const me = await call('GET', '/api/vigil/auth/me', { bearer: token });
    expect(me.json).toEqual({ user: { username: 'token:ci bot', role: 'responder' }, csrfToken: '' });
    expect((await call('GET', '/api/v1/query?query=up', { basic: `anything:${token}` })).status).toBe(200);
    // Writes with a bearer token need no CSRF header (no cookie is involved).
    const silence = await call('POST', '/api/v2/silences', { bearer: token, body: { matchers: [{ name: 'alertname', value: 'X', isRegex: false }], startsAt: new Date(clock.t).toISOString(), endsAt: new Date(clock.t + 3_600_000).toISOString(), createdBy: 'ci', comment: 'test' } });
    expect(silence.status).toBe(200);
    expect((await call('GET', '/api/vigil/users', { bearer: token })).status).toBe(403);
    expect((await call('GET', '/api/vigil/auth/me', { bearer: 'vgl_' + 'A'.repeat(43) })).status).toBe(401);
    expect((await call('GET', '/api/v1/query?query=up', { headers: { authorization: 'Token abc' } })).status).toBe(401);

    const id = list.json.tokens[0].id as string;
    expect((await call('DELETE', `/api/vigil/tokens/${id}`, { cookie: a.cookie, csrf: a.csrf })).status).toBe(204);
    expect((await call('GET', '/api/vigil/auth/me', { bearer: token })).status).toBe(401);
    expect((await call('DELETE', `/api/vigil/tokens/${id}`, { cookie: a.cookie, csrf: a.csrf })).json.code).toBe('VIGIL_ERR_TOKEN_NOT_FOUND');

    const short = await call('POST', '/api/vigil/tokens', { cookie: a.cookie, csrf: a.csrf, body: { name: 'short', role: 'viewer', expires_in: '1h' } });
    expect(short.json.expires_at).toBe(new Date(clock.t + 3_600_000).toISOString());
    expect((await call('GET', '/api/v1/query?query=up', { bearer: short.json.token })).status).toBe(200);
    clock.t += 3_600_000;
    const expired = await call('GET', '/api/v1/query?query=up', { bearer: short.json.token });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="vigil"');
  });

  it('sessions expire after session_ttl of inactivity and slide while used', async () => {
    const { clock, call, login } = await start('    session_ttl: 1h\n');
    const s = await login('admin', ADMIN_PASSWORD);
    clock.t += 50 * 60_000;
    expect((await call('GET', '/api/vigil/auth/me', { cookie: s.cookie })).status).toBe(200);
    clock.t += 50 * 60_000; // 100 min after login, 50 after last use
    expect((await call('GET', '/api/vigil/auth/me', { cookie: s.cookie })).status).toBe(200);
    clock.t += 60 * 60_000 + 1;
    expect((await call('GET', '/api/vigil/auth/me', { cookie: s.cookie })).status).toBe(401);
  });

  it('rate limits failed logins per username and client (429 with Retry-After), counts and logs them without the password', async () => {
    const { call, login, logs } = await start();
    for (let i = 0; i < 10; i++) expect((await login('admin', `wrong-password-${i}`)).json.code).toBe('VIGIL_ERR_INVALID_CREDENTIALS');
    const limited = await login('admin', ADMIN_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('VIGIL_ERR_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Without trust_proxy a forged X-Forwarded-For does not make a new client.
    expect((await login('admin', ADMIN_PASSWORD, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);
    const unknown = await login('nobody', 'whatever-password');
    expect(unknown.status).toBe(401);
    expect(unknown.json.error).toBe('invalid username or password');
    const metrics = (await call('GET', '/metrics')).body;
    expect(metrics).toMatch(/vigil_auth_login_failures_total\{reason="bad_credentials"\} 11/);
    expect(metrics).toMatch(/vigil_auth_login_failures_total\{reason="rate_limited"\} 2/);
    expect(logs.filter((l) => l.startsWith('security: login failed'))).toHaveLength(11);
    expect(logs.join('\n')).not.toMatch(/wrong-password|whatever-password/);
  });

  it('trusted proxy: X-Forwarded-For separates clients for rate limiting, X-Forwarded-Proto https makes the cookie Secure', async () => {
    const { login } = await start('    trust_proxy: true\n');
    for (let i = 0; i < 10; i++) await login('admin', 'bad-password-x', { 'x-forwarded-for': '203.0.113.7' });
    expect((await login('admin', ADMIN_PASSWORD, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    const other = await login('admin', ADMIN_PASSWORD, { 'x-forwarded-for': '203.0.113.8', 'x-forwarded-proto': 'https' });
    expect(other.status).toBe(200);
    expect(other.setCookie).toMatch(/; Secure$/);
  });

  it('users: reset password and disable end sessions; own password change needs the old one; the last admin stays', async () => {
    const { monitor, call, login, logs } = await start();
    await monitor.auth.createUser({ username: 'rita', password: 'responder-pass-1', role: 'responder' });
    const a = await login('admin', ADMIN_PASSWORD);
    const r = await login('rita', 'responder-pass-1');
    const r2 = await login('rita', 'responder-pass-1');
    // Own password: wrong old one refused; right one changes it and ends the other session only.
    expect((await call('POST', '/api/vigil/users/me/password', { cookie: r.cookie, csrf: r.csrf, body: { old_password: 'nope-nope-nope', new_password: 'responder-pass-2' } })).status).toBe(401);
    expect((await call('POST', '/api/vigil/users/me/password', { cookie: r.cookie, csrf: r.csrf, body: { old_password: 'responder-pass-1', new_password: 'short' } })).json.code).toBe('VIGIL_ERR_AUTH_INVALID_INPUT');
    expect((await call('POST', '/api/vigil/users/me/password', { cookie: r.cookie, csrf: r.csrf, body: { old_password: 'responder-pass-1', new_password: 'responder-pass-2' } })).status).toBe(204);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: r.cookie })).status).toBe(200);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: r2.cookie })).status).toBe(401);
    expect((await login('rita', 'responder-pass-1')).status).toBe(401);
    // Admin reset and disable end every session of the user.
    expect((await call('PATCH', '/api/vigil/users/rita', { cookie: a.cookie, csrf: a.csrf, body: { password: 'reset-by-admin-1' } })).status).toBe(200);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: r.cookie })).status).toBe(401);
    const r3 = await login('rita', 'reset-by-admin-1');
    expect(r3.status).toBe(200);
    expect((await call('PATCH', '/api/vigil/users/rita', { cookie: a.cookie, csrf: a.csrf, body: { disabled: true } })).json.user.disabled).toBe(true);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: r3.cookie })).status).toBe(401);
    expect((await login('rita', 'reset-by-admin-1')).status).toBe(401);
    const last = await call('PATCH', '/api/vigil/users/admin', { cookie: a.cookie, csrf: a.csrf, body: { role: 'viewer' } });
    expect(last.status).toBe(400);
    expect(last.json.error).toMatch(/last enabled admin/);
    expect((await call('POST', '/api/vigil/users', { cookie: a.cookie, csrf: a.csrf, body: { username: 'rita', password: 'dup-password-1', role: 'viewer' } })).json.code).toBe('VIGIL_ERR_USER_EXISTS');
    expect((await call('PATCH', '/api/vigil/users/ghost', { cookie: a.cookie, csrf: a.csrf, body: { role: 'viewer' } })).status).toBe(404);
    // Admin actions are security events, named with who did them and never with a password.
    const security = logs.filter((l) => l.startsWith('security: user=') || l.startsWith('security: password'));
    expect(security).toEqual([
      'security: password changed by user="rita"',
      'security: user="rita" changed (password reset) by "admin"',
      'security: user="rita" changed (disabled=true) by "admin"',
    ]);
    expect(logs.join('\n')).not.toMatch(/reset-by-admin-1|responder-pass-2/);
  });

  it('compat APIs are open by default; public routes need nothing; unknown routes need a login', async () => {
    const { call, login } = await start();
    expect((await call('GET', '/api/v1/query?query=up')).status).toBe(200);
    expect((await call('GET', '/api/v2/status')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
    expect((await call('GET', '/-/healthy')).status).toBe(200);
    expect((await call('GET', '/no-such-route')).status).toBe(401);
    const s = await login('admin', ADMIN_PASSWORD);
    expect((await call('GET', '/no-such-route', { cookie: s.cookie })).status).toBe(404);
  });

  it('compat_apis: token protects /api/v1, /api/v2, /metrics, /federate and /-/reload but not /-/healthy', async () => {
    const { monitor, call } = await start('    compat_apis: token\n');
    for (const url of ['/api/v1/query?query=up', '/api/v2/alerts', '/metrics', '/federate?match[]=up', '/api/v1/targets']) expect((await call('GET', url)).status).toBe(401);
    expect((await call('POST', '/-/reload')).status).toBe(401);
    expect((await call('GET', '/-/healthy')).status).toBe(200);
    const viewer = (await monitor.auth.createToken({ name: 'grafana', role: 'viewer' })).token;
    expect((await call('POST', '/api/v1/query', { bearer: viewer, body: 'query=up', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    expect((await call('POST', '/api/v2/alerts', { bearer: viewer, body: [] })).status).toBe(403);
    expect((await call('POST', '/-/reload', { bearer: viewer })).status).toBe(403);
  });

  it('server.auth.enabled: false makes everyone an anonymous admin', async () => {
    const { call } = await start('    enabled: false\n');
    expect((await call('GET', '/api/vigil/auth/me')).json).toEqual({ user: { username: 'anonymous', role: 'admin' }, csrfToken: '' });
    expect((await call('GET', '/api/vigil/users')).status).toBe(200);
    expect((await call('POST', '/api/vigil/tokens', { body: { name: 'x', role: 'viewer' } })).status).toBe(201);
  });

  it('no password, token or session id appears in any response, error or log line', async () => {
    const { monitor, call, login, logs, seen } = await start();
    const secrets: string[] = [ADMIN_PASSWORD, 'viewer-secret-pass'];
    await monitor.auth.createUser({ username: 'v', password: 'viewer-secret-pass', role: 'viewer' });
    const a = await login('admin', ADMIN_PASSWORD);
    const v = await login('v', 'viewer-secret-pass');
    secrets.push(a.session, v.session);
    const t = await call('POST', '/api/vigil/tokens', { cookie: a.cookie, csrf: a.csrf, body: { name: 'bot', role: 'viewer' } });
    secrets.push(t.json.token, t.json.token.slice(4));
    const responses = [
      a, v,
      await call('GET', '/api/vigil/auth/me', { cookie: a.cookie }),
      await call('GET', '/api/vigil/users', { cookie: a.cookie }),
      await call('GET', '/api/vigil/tokens', { cookie: a.cookie }),
      await call('GET', '/api/vigil/users', { cookie: v.cookie }),
      await call('POST', '/api/vigil/users', { cookie: a.cookie, body: { username: 'x', password: ADMIN_PASSWORD } }),
      await call('POST', '/api/vigil/users', { cookie: a.cookie, csrf: a.csrf, body: { username: 'bad name', password: 'viewer-secret-pass' } }),
      await login('admin', 'viewer-secret-pass'),
      await login('v', ADMIN_PASSWORD),
      await call('GET', '/api/vigil/auth/me', { bearer: t.json.token }),
      await call('GET', '/api/vigil/auth/me', { cookie: `vigil_session=${v.session}x` }),
      await call('GET', '/api/vigil/auth/me', { bearer: `${t.json.token}x` }),
      await call('POST', '/api/vigil/users/me/password', { cookie: v.cookie, csrf: v.csrf, body: { old_password: ADMIN_PASSWORD, new_password: 'viewer-secret-pass' } }),
      await call('GET', '/metrics'),
    ];
    for (const r of responses) r.record();
    const haystack = [...seen, ...logs].join('\n');
    for (const s of secrets) expect(haystack).not.toContain(s);
    // The login and token-creation answers carry only what they must: a cookie and, once, the new token.
    expect(a.body).not.toContain(a.session);
  });

  it('first start: the admin from VIGIL_ADMIN_PASSWORD, or a generated password reported once and never again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-'));
    const events: AdminCreatedEvent[] = [];
    const first = await start('', { dataDir: dir, adminPassword: '', onAdminCreated: (e) => events.push(e) });
    expect(events).toHaveLength(1);
    expect(events[0]!.generated).toBe(true);
    const generated = events[0]!.password!;
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.logs.join('\n')).not.toContain(generated);
    expect((await first.login('admin', generated)).status).toBe(200);
    await first.monitor.stop();
    monitors.splice(monitors.indexOf(first.monitor), 1);
    const second = await start('', { dataDir: dir, adminPassword: 'ignored-now-123', onAdminCreated: (e) => events.push(e) });
    expect(events).toHaveLength(1);
    expect((await second.login('admin', generated)).status).toBe(200);
    expect((await second.login('admin', 'ignored-now-123')).status).toBe(401);

    const prev = process.env.VIGIL_ADMIN_PASSWORD;
    process.env.VIGIL_ADMIN_PASSWORD = 'from-the-environment-1';
    try {
      const logs: string[] = [];
      const m = await createMonitor({ config: parseConfig('global: {}\n', path.join(tmpdir(), 'vigil.yml')), listen: false, log: (l) => logs.push(l) });
      monitors.push(m);
      const r = await m.app.inject({ method: 'POST', url: '/api/vigil/auth/login', payload: { username: 'admin', password: 'from-the-environment-1' } });
      expect(r.statusCode).toBe(200);
      expect(logs.join('\n')).toMatch(/created the first user "admin" .*from VIGIL_ADMIN_PASSWORD/);
      expect(logs.join('\n')).not.toContain('from-the-environment-1');
    } finally {
      if (prev === undefined) delete process.env.VIGIL_ADMIN_PASSWORD;
      else process.env.VIGIL_ADMIN_PASSWORD = prev;
    }
  });
});

describe('auth settings on reload', () => {
  it('switching compat_apis to token and session_ttl applies to the running monitor', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-reload-'));
    const file = path.join(dir, 'vigil.yml');
    writeFileSync(file, 'global:\n  scrape_interval: 1h\n');
    const m = await createMonitor({ config: file, listen: false, auth: { adminPassword: ADMIN_PASSWORD } });
    monitors.push(m);
    expect((await m.app.inject({ url: '/api/v1/query?query=up' })).statusCode).toBe(200);
    writeFileSync(file, 'global:\n  scrape_interval: 1h\nserver:\n  auth:\n    compat_apis: token\n');
    await m.reload();
    expect((await m.app.inject({ url: '/api/v1/query?query=up' })).statusCode).toBe(401);
    writeFileSync(file, 'global:\n  scrape_interval: 1h\nserver:\n  auth:\n    enabled: false\n');
    await m.reload();
    expect((await m.app.inject({ url: '/api/vigil/users' })).statusCode).toBe(200);
  });
});

describe('auth over real HTTP', () => {
  it('a browser-like client: login sets the cookie, the cookie reads, a write needs the CSRF header', async () => {
    const { monitor } = await start('', { listen: true });
    const url = monitor.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/vigil/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).not.toMatch(/Secure/);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = setCookie.split(';')[0]!;
    const me = await fetch(`${url}/api/vigil/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as Json).user.username).toBe('admin');
    const body = JSON.stringify({ name: 'http', role: 'viewer' });
    const without = await fetch(`${url}/api/vigil/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
    expect(without.status).toBe(403);
    const withToken = await fetch(`${url}/api/vigil/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body });
    expect(withToken.status).toBe(201);
    expect(withToken.headers.get('cache-control')).toBe('no-store');
    const logout = await fetch(`${url}/api/vigil/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${url}/api/vigil/auth/me`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('auth when the state store fails', () => {
  it('answers 503 VIGIL_ERR_AUTH_UNAVAILABLE without detail, keeps serving, and recovers', async () => {
    const { createSqliteStateStore } = await import('../src/state/index.js');
    const { createAuthPlugin, createAuthService } = await import('../src/auth/index.js');
    const { createHttpServer } = await import('../src/http/server.js');
    const real = createSqliteStateStore({ path: ':memory:' });
    let broken = false;
    const fail = () => {
      if (broken) throw new Error('connection refused to db.internal:5432 (password=hunter2)');
    };
    const store = {
      ...real,
      dialect: real.dialect,
      migrate: real.migrate.bind(real),
      close: real.close.bind(real),
      transaction: real.transaction.bind(real),
      query: async (sql: string, p?: readonly unknown[]) => (fail(), real.query(sql, p)),
      execute: async (sql: string, p?: readonly unknown[]) => (fail(), real.execute(sql, p)),
      executeMany: async (sql: string, rows: readonly (readonly unknown[])[]) => (fail(), real.executeMany(sql, rows)),
    } as typeof real;
    const logs: string[] = [];
    const auth = createAuthService({ store, config: () => ({ enabled: true, compat_apis: 'open', secure_cookies: false, trust_proxy: false, session_ttl_ms: 3_600_000 }), adminPassword: ADMIN_PASSWORD, log: (l) => logs.push(l) });
    await auth.init();
    const app = await createHttpServer({
      plugins: [createAuthPlugin({ auth, log: (l) => logs.push(l) }), async (i) => void i.get('/api/vigil/thing', async () => ({ ok: true })), async (i) => void i.get('/api/v1/query', async () => ({ status: 'success' }))],
    });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/vigil/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      broken = true;
      const down = await app.inject({ method: 'GET', url: '/api/vigil/thing', headers: { cookie } });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ error: 'authentication is temporarily unavailable', code: 'VIGIL_ERR_AUTH_UNAVAILABLE' });
      const loginDown = await app.inject({ method: 'POST', url: '/api/vigil/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
      expect(loginDown.statusCode).toBe(503);
      expect(loginDown.body).not.toMatch(/hunter2|db\.internal/);
      expect(logs.some((l) => l.includes('cannot check credentials'))).toBe(true);
      // The compat APIs in open mode need no login, so they keep answering.
      expect((await app.inject({ method: 'GET', url: '/api/v1/query', headers: { cookie } })).statusCode).toBe(200);
      broken = false;
      expect((await app.inject({ method: 'GET', url: '/api/vigil/thing', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await app.close();
      await real.close();
    }
  });
});

describe('session housekeeping', () => {
  it('a new login ends the session the browser presented, and expired sessions are swept at login', async () => {
    const { clock, call, login, monitor } = await start('    session_ttl: 1h\n');
    const first = await login('admin', ADMIN_PASSWORD);
    const second = await call('POST', '/api/vigil/auth/login', { cookie: first.cookie, body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(second.status).toBe(200);
    expect((await call('GET', '/api/vigil/auth/me', { cookie: first.cookie })).status).toBe(401);
    const stale = await login('admin', ADMIN_PASSWORD);
    expect(stale.status).toBe(200);
    clock.t += 2 * 3_600_000;
    await login('admin', ADMIN_PASSWORD);
    // Only the session just created remains: the two expired ones were deleted, not merely refused.
    expect(await monitor.auth.sessions.prune()).toBe(0);
  });
});

describe('auth and the incident API', () => {
  it('records the logged-in user or the token as the actor; a viewer is refused', async () => {
    const { monitor, call, login } = await start();
    await monitor.auth.createUser({ username: 'rosa', password: 'responder-pass-9', role: 'responder' });
    await monitor.auth.createUser({ username: 'vic', password: 'viewer-pass-9', role: 'viewer' });
    const r = await login('rosa', 'responder-pass-9');
    const opened = await call('POST', '/api/vigil/incidents', { cookie: r.cookie, csrf: r.csrf, body: { title: 'Checkout down', severity: 'critical' } });
    expect(opened.status).toBe(201);
    expect(opened.json.timeline[0].actor).toBe('rosa');
    const id = opened.json.id as string;
    const v = await login('vic', 'viewer-pass-9');
    expect((await call('GET', `/api/vigil/incidents/${id}`, { cookie: v.cookie })).status).toBe(200);
    expect((await call('POST', `/api/vigil/incidents/${id}/acknowledge`, { cookie: v.cookie, csrf: v.csrf })).status).toBe(403);
    const bot = (await monitor.auth.createToken({ name: 'pager-bot', role: 'responder' })).token;
    const acked = await call('POST', `/api/vigil/incidents/${id}/acknowledge`, { bearer: bot });
    expect(acked.status).toBe(200);
    expect(acked.json.timeline.find((e: Json) => e.kind === 'acknowledged').actor).toBe('token:pager-bot');
    expect((await call('GET', '/emergency/status')).status).toBe(401);
    expect((await call('GET', '/api/public/status')).status).toBe(200);
  });
});
