import { describe, expect, it } from 'vitest';
import { createHealthRegistry } from './registry.js';
import type { HealthStatus, HealthTransition } from './types.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createHealthRegistry', () => {
  it('aggregates worst-wins with the criticality rule', async () => {
    const statuses: Record<string, HealthStatus> = { a: 'healthy', b: 'healthy' };
    const reg = createHealthRegistry({ logger: false, cacheTtlMs: 1 });
    reg.register({ name: 'a', check: () => ({ status: statuses.a }) });
    reg.register({ name: 'b', critical: false, check: () => ({ status: statuses.b }) });
    expect((await reg.run({ fresh: true })).status).toBe('healthy');
    statuses.b = 'unhealthy';
    expect((await reg.run({ fresh: true })).status).toBe('degraded');
    statuses.a = 'degraded';
    statuses.b = 'healthy';
    expect((await reg.run({ fresh: true })).status).toBe('degraded');
    statuses.a = 'unhealthy';
    expect((await reg.run({ fresh: true })).status).toBe('unhealthy');
  });

  it('treats a throwing check as unhealthy and scrubs secrets from its error', async () => {
    const reg = createHealthRegistry({ logger: false, secrets: ['literal-secret-value'] });
    reg.register({
      name: 'db',
      check: () => {
        throw new Error('cannot reach postgres://u:pw@h/db with literal-secret-value');
      },
    });
    const r = await reg.check('db');
    expect(r.status).toBe('unhealthy');
    expect(r.error).toBeDefined();
    expect(r.error).not.toMatch(/pw@|literal-secret-value/);
    expect(typeof r.response_time_ms).toBe('number');
    expect(new Date(r.last_check).toISOString()).toBe(r.last_check);
  });

  it('ends the wait at the timeout and aborts the check signal', async () => {
    const reg = createHealthRegistry({ logger: false });
    let aborted = false;
    reg.register({
      name: 'hang',
      timeoutMs: 50,
      check: ({ signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    });
    const t0 = performance.now();
    const r = await reg.check('hang');
    const waited = performance.now() - t0;
    expect(r.status).toBe('unhealthy');
    expect(r.error).toMatch(/timed out after 50 ms/);
    expect(aborted).toBe(true);
    expect(waited).toBeLessThan(50 + 1000);
    expect(r.response_time_ms).toBeGreaterThanOrEqual(45);
  });

  it('shares one run among concurrent callers and caches it for the TTL', async () => {
    const c = clock();
    const reg = createHealthRegistry({ logger: false, now: c.now, cacheTtlMs: 1000 });
    let runs = 0;
    reg.register({
      name: 'dep',
      check: async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    await Promise.all(Array.from({ length: 10_000 }, () => reg.run()));
    expect(runs).toBe(1);
    c.advance(999);
    await reg.run();
    expect(runs).toBe(1);
    c.advance(1);
    await Promise.all([reg.run(), reg.run()]);
    expect(runs).toBe(2);
    await reg.run({ fresh: true });
    expect(runs).toBe(3);
  });

  it('damps flapping with failure/success thresholds and counts transitions once', async () => {
    const reg = createHealthRegistry({ logger: false });
    let next: HealthStatus = 'healthy';
    reg.register({
      name: 'f',
      failureThreshold: 3,
      successThreshold: 2,
      check: () => ({ status: next }),
    });
    const transitions: HealthTransition[] = [];
    reg.onTransition((t) => transitions.push(t));
    const seq: HealthStatus[] = [
      'healthy',
      'unhealthy',
      'unhealthy',
      'healthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'healthy',
      'healthy',
    ];
    const reported: HealthStatus[] = [];
    for (const s of seq) {
      next = s;
      reported.push((await reg.check('f', { fresh: true })).status);
    }
    expect(reported).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'healthy',
      'unhealthy',
      'unhealthy',
      'unhealthy',
      'healthy',
    ]);
    expect(reg.transitionCount('f')).toBe(2);
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'undefined->healthy',
      'healthy->unhealthy',
      'unhealthy->healthy',
    ]);
  });

  it('logs transitions, not every probe', async () => {
    const lines: string[] = [];
    const logger = {
      info: (_o: object, m: string) => lines.push(m),
      warn: (_o: object, m: string) => lines.push(m),
    };
    const reg = createHealthRegistry({ logger });
    let ok = false;
    reg.register({ name: 'x', check: () => ({ status: ok ? 'healthy' : 'unhealthy' }) });
    for (let i = 0; i < 5; i++) await reg.check('x', { fresh: true });
    ok = true;
    for (let i = 0; i < 5; i++) await reg.check('x', { fresh: true });
    expect(lines).toEqual(['health check is unhealthy', 'health check recovered']);
  });

  it('notifies result subscribers and lets them unsubscribe', async () => {
    const reg = createHealthRegistry({ logger: false });
    reg.register({ name: 'a', check: () => ({ details: { n: 1 } }) });
    const seen: string[] = [];
    const off = reg.onResult((r) => seen.push(`${r.name}:${r.status}`));
    await reg.check('a', { fresh: true });
    off();
    await reg.check('a', { fresh: true });
    expect(seen).toEqual(['a:healthy']);
  });

  it('selects checks by tag', async () => {
    const reg = createHealthRegistry({ logger: false });
    reg.register({ name: 'db', check: () => ({ status: 'unhealthy' }) });
    reg.register({ name: 'loop', tags: ['live'], check: () => ({}) });
    const live = await reg.run({ tags: ['live'] });
    expect(live.checks.map((c) => c.name)).toEqual(['loop']);
    expect(live.status).toBe('healthy');
    expect((await reg.run({ tags: ['ready'] })).status).toBe('unhealthy');
  });

  it('tracks startup tasks and the shutting-down flag', () => {
    const reg = createHealthRegistry({ logger: false });
    expect(reg.startupState().started).toBe(true);
    const migrations = reg.startupTask('migrations');
    const cache = reg.startupTask('cache');
    expect(reg.startupState().started).toBe(false);
    migrations.complete();
    cache.fail(new Error('redis://:pw@x failed'));
    expect(reg.startupState().started).toBe(false);
    expect(JSON.stringify(reg.startupState())).not.toContain(':pw@');
    expect(reg.isShuttingDown()).toBe(false);
    reg.markShuttingDown();
    expect(reg.isShuttingDown()).toBe(true);
  });

  it('background refresh makes probes read results instead of running checks', async () => {
    const reg = createHealthRegistry({ logger: false, cacheTtlMs: 1 });
    let runs = 0;
    reg.register({ name: 'a', check: () => void (runs += 1) });
    reg.startBackgroundRefresh(60_000);
    await new Promise((r) => setTimeout(r, 5));
    expect(runs).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all(Array.from({ length: 100 }, () => reg.run()));
    expect(runs).toBe(1);
    await reg.close();
  });

  it('a background refresh in flight never makes probes wait', async () => {
    const reg = createHealthRegistry({ logger: false });
    let release: (() => void) | undefined;
    let runs = 0;
    reg.register({
      name: 'slow',
      check: () => {
        runs += 1;
        if (runs === 1) return {};
        return new Promise<void>((r) => (release = r));
      },
    });
    reg.startBackgroundRefresh(60_000);
    await new Promise((r) => setTimeout(r, 5));
    reg.startBackgroundRefresh(60_000); // second refresh starts and hangs
    expect(runs).toBe(2);
    let answered = false;
    const probe = reg.run().then((report) => {
      answered = true;
      return report;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(answered).toBe(true);
    expect((await probe).status).toBe('healthy');
    release!();
    await reg.close();
  });

  it('peek answers from cache only and returns the same report object while results are unchanged', async () => {
    const c = clock();
    const reg = createHealthRegistry({ logger: false, now: c.now, cacheTtlMs: 100 });
    reg.register({ name: 'a', check: () => ({}) });
    expect(reg.peek()).toBeUndefined();
    await reg.run();
    const first = reg.peek();
    expect(first?.status).toBe('healthy');
    expect(reg.peek()).toBe(first);
    c.advance(100);
    expect(reg.peek()).toBeUndefined();
    await reg.run();
    expect(reg.peek()).not.toBe(first);
  });

  it('rejects duplicate names and bad options with coded errors', () => {
    const reg = createHealthRegistry({ logger: false });
    reg.register({ name: 'a', check: () => ({}) });
    expect(() => reg.register({ name: 'a', check: () => ({}) })).toThrow(
      expect.objectContaining({ code: 'VIGIL_ERR_HEALTH_CONFIG' }),
    );
    expect(() => reg.register({ name: 'b', timeoutMs: -1, check: () => ({}) })).toThrow(
      /timeoutMs/,
    );
  });
});
