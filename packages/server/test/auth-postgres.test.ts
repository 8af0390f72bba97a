import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import type { FastifyInstance } from 'fastify';
import { createAuthPlugin, createAuthService, type AdminCreatedEvent, type AuthService } from '../src/auth/index.js';
import type { AuthConfig } from '../src/config/types.js';
import { createHttpServer } from '../src/http/server.js';
import { requestActor } from '../src/http/request-user.js';
import { createMonitor, type Monitor } from '../src/monitor/index.js';
import { createPostgresStateStore } from '../src/state/index.js';
import type { StateStore } from '../src/state/types.js';

const schema = `vigil_auth_test_${process.pid}_${Date.now()}`;
const config: AuthConfig = { enabled: true, compat_apis: 'token', secure_cookies: false, trust_proxy: false, session_ttl_ms: 3_600_000 };
const open: { store: StateStore; app: FastifyInstance }[] = [];
const monitors: Monitor[] = [];
const monitorSchema = `${schema}_m`;

afterAll(async () => {
  for (const m of monitors) await m.stop();
  for (const r of open) {
    await r.app.close();
    await r.store.close();
  }
  if (!(await requireService(postgresUrl()))) return;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.query(`DROP SCHEMA IF EXISTS "${monitorSchema}" CASCADE`);
  await c.end();
});

/** One replica: its own pool on the shared schema, its own auth service and HTTP server on port 0. */
async function replica(events: AdminCreatedEvent[]): Promise<{ auth: AuthService; url: string }> {
  const store = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
  const auth = createAuthService({ store, config: () => config, adminPassword: 'shared-admin-pass', onAdminCreated: (e) => events.push(e) });
  await auth.init();
  const app = await createHttpServer({
    plugins: [
      createAuthPlugin({ auth }),
      async (instance) => {
        instance.get('/api/vigil/whoami', async (req) => ({ actor: requestActor(req) }));
        instance.post('/api/vigil/incidents', async (req) => ({ actor: requestActor(req) }));
      },
    ],
  });
  open.push({ store, app });
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', '127.0.0.1');
  return { auth, url };
}

describe('auth on PostgreSQL shared by two replicas', () => {
  it('creates the first admin once, and shares sessions, CSRF tokens, logouts and API tokens', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const events: AdminCreatedEvent[] = [];
    // Both start at once on an empty schema: exactly one of them creates (and reports) the admin.
    const [a, b] = await Promise.all([replica(events), replica(events)]);
    expect(events).toEqual([{ username: 'admin', generated: false }]);

    const login = await fetch(`${a.url}/api/vigil/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'shared-admin-pass' }) });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const onB = await fetch(`${b.url}/api/vigil/whoami`, { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(await onB.json()).toEqual({ actor: 'admin' });
    expect((await fetch(`${b.url}/api/vigil/incidents`, { method: 'POST', headers: { cookie } })).status).toBe(403);
    const post = await fetch(`${b.url}/api/vigil/incidents`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(post.status).toBe(200);

    // The database holds only hashes of the session id and of the password.
    const c = new pg.Client({ connectionString: postgresUrl() });
    await c.connect();
    const dump = JSON.stringify((await c.query(`SELECT * FROM "${schema}".vigil_auth_sessions`)).rows) + JSON.stringify((await c.query(`SELECT * FROM "${schema}".vigil_auth_users`)).rows);
    await c.end();
    expect(dump).not.toContain(cookie.split('=')[1]);
    expect(dump).not.toContain('shared-admin-pass');

    const token = await b.auth.createToken({ name: 'deploy', role: 'responder' });
    expect((await fetch(`${a.url}/api/vigil/incidents`, { method: 'POST', headers: { authorization: `Bearer ${token.token}` } })).status).toBe(200);
    await a.auth.tokens.revoke(token.info.id);
    expect((await fetch(`${b.url}/api/vigil/whoami`, { headers: { authorization: `Bearer ${token.token}` } })).status).toBe(401);

    expect((await fetch(`${b.url}/api/vigil/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await fetch(`${a.url}/api/vigil/whoami`, { headers: { cookie } })).status).toBe(401);
  });

  it('two monitors on state.postgres_url: a cookie from one works on the other; vigil user add reaches both', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-pg-'));
    const file = path.join(dir, 'vigil.yml');
    writeFileSync(file, `global:\n  scrape_interval: 1h\nstate:\n  postgres_url: \${PG_URL}\n  schema: ${monitorSchema}\n`);
    process.env.PG_URL = postgresUrl();
    const created: AdminCreatedEvent[] = [];
    const a = await createMonitor({ config: file, port: 0, auth: { adminPassword: 'monitor-admin-pass', onAdminCreated: (e) => created.push(e) } });
    monitors.push(a);
    const b = await createMonitor({ config: file, port: 0, auth: { adminPassword: 'other-password-ignored', onAdminCreated: (e) => created.push(e) } });
    monitors.push(b);
    expect(created).toHaveLength(1);

    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vigil.mjs');
    const add = spawn(process.execPath, [bin, 'user', 'add', 'pat', '--role', 'responder', '--password-stdin', '--config', file], { env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    add.stderr!.on('data', (d: Buffer) => (err += d));
    add.stdin!.end('pat-password-123\n');
    expect(await new Promise((r) => add.on('exit', r)), err).toBe(0);

    const login = await fetch(`${a.url}/api/vigil/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'pat', password: 'pat-password-123' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = await fetch(`${b.url}/api/vigil/auth/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { username: 'pat', role: 'responder' } });
    expect((await fetch(`${a.url}/api/vigil/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await fetch(`${b.url}/api/vigil/auth/me`, { headers: { cookie } })).status).toBe(401);
  });
});
