import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../state/sqlite-store.js';
import type { StateStore } from '../state/types.js';
import { AuthError } from './errors.js';
import { createAuthService, LoginRateLimitedError } from './service.js';

const stores: StateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function service(maxLoginFailures?: number) {
  const store = createSqliteStateStore({ path: ':memory:' });
  stores.push(store);
  const t = { now: 1_000_000 };
  const logs: string[] = [];
  const auth = createAuthService({
    store,
    config: () => ({ enabled: true, compat_apis: 'open', secure_cookies: false, trust_proxy: false, session_ttl_ms: 3_600_000 }),
    now: () => t.now,
    adminPassword: 'service-admin-pw',
    log: (l) => logs.push(l),
    ...(maxLoginFailures ? { maxLoginFailures } : {}),
  });
  await auth.init();
  return { auth, t, logs };
}

describe('auth service logins', () => {
  it('limits guesses over many usernames from one address (5× the per-user limit)', async () => {
    const { auth } = await service(2);
    for (let i = 0; i < 10; i++) await expect(auth.login(`user${i}`, 'guess-password', '198.51.100.1')).rejects.toThrow('invalid username or password');
    await expect(auth.login('admin', 'service-admin-pw', '198.51.100.1')).rejects.toBeInstanceOf(LoginRateLimitedError);
    expect((await auth.login('admin', 'service-admin-pw', '198.51.100.2')).user.username).toBe('admin');
  }, 60_000);

  it('runs at most 4 password checks at once; the rest are told to retry (429) instead of queueing', async () => {
    const { auth } = await service();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => auth.login('admin', 'service-admin-pw', `203.0.113.${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as AuthError);
    expect(refused.map((e) => e.code)).toEqual(Array(4).fill('VIGIL_ERR_RATE_LIMITED'));
    expect((await auth.login('admin', 'service-admin-pw', '203.0.113.9')).user.role).toBe('admin');
  }, 60_000);

  it('refuses disabled users and non-string input with the same message as a wrong password', async () => {
    const { auth } = await service();
    await auth.createUser({ username: 'dora', password: 'dora-password', role: 'viewer' });
    await auth.users.setDisabled('dora', true);
    await expect(auth.login('dora', 'dora-password', 'c')).rejects.toThrow('invalid username or password');
    await expect(auth.login({} as unknown as string, 'x', 'c')).rejects.toThrow('invalid username or password');
    await expect(auth.login('admin', 'x'.repeat(2000), 'c')).rejects.toThrow('invalid username or password');
  }, 60_000);
});
