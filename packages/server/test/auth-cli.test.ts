import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@vigil/test-support';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vigil.mjs');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function vigil(args: string[], cwd: string, stdin?: string) {
  const env = { ...process.env };
  delete env.VIGIL_ADMIN_PASSWORD;
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (err += c));
  if (stdin !== undefined) child.stdin!.end(stdin);
  else child.stdin!.end();
  const exit = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
  return { child, out: () => out, err: () => err, exit };
}

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/api/vigil/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('auth from the command line (real processes)', () => {
  it('vigil start prints a generated admin password once; user add/passwd/list and token add/list/revoke work on the same state store while it runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-cli-'));
    writeFileSync(path.join(dir, 'vigil.yml'), 'global:\n  scrape_interval: 1h\nstorage:\n  data_dir: data\n');
    const first = vigil(['start', '--port', '0'], dir);
    const url1 = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(first.out())?.[1]);
    const password = /First start: created user "admin" \(admin\) with password: (\S+)/.exec(first.out())?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.out().split(password!).length - 1).toBe(1); // printed once, in the banner only
    expect((await login(url1, 'admin', password!)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = vigil(['start', '--port', '0'], dir);
    const url2 = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(second.out())?.[1]);
    expect(second.out()).not.toContain('First start');
    expect(second.out()).not.toContain(password!);

    const add = vigil(['user', 'add', 'alice', '--role', 'responder', '--password-stdin'], dir, 'alice-password-1\n');
    expect(await add.exit).toBe(0);
    expect(add.out()).toBe('created user "alice" (role responder)\n');
    const res = await login(url2, 'alice', 'alice-password-1');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('responder');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;

    const dup = vigil(['user', 'add', 'alice', '--password-stdin'], dir, 'another-password\n');
    expect(await dup.exit).toBe(1);
    expect(dup.err()).toMatch(/already exists/);

    const passwd = vigil(['user', 'passwd', 'alice'], dir);
    expect(await passwd.exit).toBe(0);
    const newPassword = /password: (\S+)/.exec(passwd.out())?.[1];
    expect(newPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await fetch(`${url2}/api/vigil/auth/me`, { headers: { cookie } })).status).toBe(401);
    expect((await login(url2, 'alice', 'alice-password-1')).status).toBe(401);
    expect((await login(url2, 'alice', newPassword!)).status).toBe(200);

    const list = vigil(['user', 'list'], dir);
    expect(await list.exit).toBe(0);
    const rows = list.out().trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3));
    expect(rows).toEqual([['USERNAME', 'ROLE', 'STATE'], ['admin', 'admin', 'enabled'], ['alice', 'responder', 'enabled']]);
    expect(list.out()).not.toMatch(/scrypt|password/i);
    const tokenAdd = vigil(['token', 'add', 'deploy-bot', '--role', 'responder', '--expires-in', '30d'], dir);
    expect(await tokenAdd.exit).toBe(0);
    const token = /^(vgl_\S+)$/m.exec(tokenAdd.out())?.[1];
    expect(token).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    const id = /id ([0-9a-f]+)/.exec(tokenAdd.out())?.[1];
    const asBot = await fetch(`${url2}/api/vigil/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await asBot.json()).toEqual({ user: { username: 'token:deploy-bot', role: 'responder' }, csrfToken: '' });
    const tokens = vigil(['token', 'list'], dir);
    expect(await tokens.exit).toBe(0);
    expect(tokens.out()).toMatch(new RegExp(`^${id}\\s+"deploy-bot"\\s+responder\\s+active\\s+20`, 'm'));
    expect(tokens.out()).not.toContain(token!.slice(4));
    const revoke = vigil(['token', 'revoke', id!], dir);
    expect(await revoke.exit).toBe(0);
    expect((await fetch(`${url2}/api/vigil/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = vigil(['token', 'revoke', id!], dir);
    expect(await again.exit).toBe(1);

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 120_000);

  it('user commands refuse bad input and a config without a durable store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-auth-cli-'));
    writeFileSync(path.join(dir, 'vigil.yml'), 'global: {}\n');
    const noStore = vigil(['user', 'list'], dir);
    expect(await noStore.exit).toBe(2);
    expect(noStore.err()).toMatch(/no durable state store/);
    const badRole = vigil(['user', 'add', 'bob', '--role', 'root', '--data-dir', 'd'], dir);
    expect(await badRole.exit).toBe(1);
    expect(badRole.err()).toMatch(/role must be one of viewer, responder, admin/);
    const short = vigil(['user', 'add', 'bob', '--password-stdin', '--data-dir', 'd'], dir, 'short\n');
    expect(await short.exit).toBe(1);
    expect(short.err()).toMatch(/password must have 8/);
    const help = vigil(['user', 'add', '--help'], dir);
    expect(await help.exit).toBe(0);
    expect(help.out()).toMatch(/^Usage: vigil user add USERNAME/);
  }, 90_000);
});
