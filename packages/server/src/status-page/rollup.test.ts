import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../alerting/clock.js';
import { createSqliteStateStore } from '../state/sqlite-store.js';
import type { StateStore } from '../state/types.js';
import { DAY_MS } from './day.js';
import { createUptimeRollup } from './rollup.js';

const open: StateStore[] = [];
const tmp: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function memoryStore(): StateStore {
  const s = createSqliteStateStore({ path: ':memory:' });
  open.push(s);
  return s;
}

async function rowCount(store: StateStore): Promise<number> {
  const [r] = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM status_page_uptime');
  return Number(r!.n);
}

describe('uptime rollup', () => {
  it('splits checks and outage time at UTC midnight and shows days without data as no data', async () => {
    const clock = createManualClock(Date.parse('2026-11-29T23:59:00Z'));
    const rollup = await createUptimeRollup({ store: memoryStore(), clock });
    rollup.record('api', Date.parse('2026-11-29T23:59:10Z'), true);
    rollup.record('api', Date.parse('2026-11-29T23:59:40Z'), false);
    // Outage from 23:58 to 00:03: 2 minutes on the 29th, 3 on the 30th.
    rollup.addDowntime('api', Date.parse('2026-11-29T23:58:00Z'), Date.parse('2026-11-30T00:03:00Z'));
    await clock.advance(90_000);
    rollup.record('api', Date.parse('2026-11-30T00:00:20Z'), true);
    const days = (await rollup.history(['api', 'web'], 3)).get('api')!;
    expect(days).toEqual([
      { date: '2026-11-28', checks: 0, successes: 0, downtimeMs: 0 },
      { date: '2026-11-29', checks: 2, successes: 1, downtimeMs: 120_000 },
      { date: '2026-11-30', checks: 1, successes: 1, downtimeMs: 180_000 },
    ]);
    const web = (await rollup.history(['web'], 3)).get('web')!;
    expect(web.map((d) => d.checks)).toEqual([0, 0, 0]);
    await rollup.close();
  });

  it('writes in batches on the flush interval, and a repeated flush changes nothing', async () => {
    const clock = createManualClock(Date.parse('2026-06-01T12:00:00Z'));
    const store = memoryStore();
    const rollup = await createUptimeRollup({ store, clock, flushIntervalMs: 60_000 });
    for (let i = 0; i < 50; i++) rollup.record('api', clock.now() + i * 100, i % 10 !== 0);
    expect(await rowCount(store)).toBe(0);
    await clock.advance(60_000);
    expect(await rowCount(store)).toBe(1);
    const read = () => store.query<{ checks: number; successes: number }>('SELECT checks, successes FROM status_page_uptime');
    expect(await read()).toEqual([{ checks: 50, successes: 45 }]);
    await rollup.flush();
    await rollup.flush();
    expect(await read()).toEqual([{ checks: 50, successes: 45 }]);
    await rollup.close();
  });

  it('keeps the history across a restart on the same SQLite file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-status-'));
    tmp.push(dir);
    const file = path.join(dir, 'state.db');
    const clock = createManualClock(Date.parse('2026-03-10T08:00:00Z'));
    const s1 = createSqliteStateStore({ path: file });
    const r1 = await createUptimeRollup({ store: s1, clock });
    for (let i = 0; i < 10; i++) r1.record('api', clock.now(), i !== 3);
    await r1.close();
    await s1.close();

    await clock.advance(DAY_MS);
    const s2 = createSqliteStateStore({ path: file });
    open.push(s2);
    const r2 = await createUptimeRollup({ store: s2, clock });
    // A second writer on the same day adds to the first one's counts.
    r2.record('api', Date.parse('2026-03-10T23:00:00Z'), false);
    r2.record('api', clock.now(), true);
    const days = (await r2.history(['api'], 2)).get('api')!;
    expect(days).toEqual([
      { date: '2026-03-10', checks: 11, successes: 9, downtimeMs: 0 },
      { date: '2026-03-11', checks: 1, successes: 1, downtimeMs: 0 },
    ]);
    await r2.close();
  });

  it('shows exactly the last 90 days and prunes what is older than 100', async () => {
    const start = Date.parse('2026-01-01T12:00:00Z');
    const clock = createManualClock(start);
    const store = memoryStore();
    const rollup = await createUptimeRollup({ store, clock, flushIntervalMs: DAY_MS });
    for (let d = 0; d < 120; d++) {
      rollup.record('api', clock.now(), d % 2 === 0);
      await clock.advance(DAY_MS);
    }
    rollup.record('api', clock.now(), true);
    await rollup.flush();
    const days = (await rollup.history(['api'])).get('api')!;
    expect(days).toHaveLength(90);
    expect(days[89]!.date).toBe('2026-05-01');
    expect(days[0]!.date).toBe('2026-02-01');
    expect(days.every((d) => d.checks === 1)).toBe(true);
    // Day index 31 (2026-02-01) was an odd day: a failure.
    expect(days[0]!.successes).toBe(0);
    expect(days[1]!.successes).toBe(1);
    const [oldest] = await store.query<{ d: string }>('SELECT MIN(day) AS d FROM status_page_uptime');
    expect(oldest!.d >= '2026-01-21').toBe(true);
    await rollup.close();
  });

  it('keeps counts buffered when the store fails and writes them with the next flush', async () => {
    const clock = createManualClock(Date.parse('2026-06-01T12:00:00Z'));
    const store = memoryStore();
    let broken = true;
    const flaky = {
      ...store,
      transaction: (fn: Parameters<StateStore['transaction']>[0]) => (broken ? Promise.reject(new Error('disk full')) : store.transaction(fn)),
    } as StateStore;
    const errors: unknown[] = [];
    const rollup = await createUptimeRollup({ store: flaky, clock, onError: (e) => errors.push(e) });
    rollup.record('api', clock.now(), false);
    await expect(rollup.flush()).rejects.toThrow('disk full');
    await clock.advance(60_000);
    expect(errors).toHaveLength(1);
    expect(await rowCount(store)).toBe(0);
    // The history still includes the unwritten counts.
    expect((await rollup.history(['api'], 1)).get('api')![0]!.checks).toBe(1);
    broken = false;
    await rollup.flush();
    expect(await store.query('SELECT checks, successes FROM status_page_uptime')).toEqual([{ checks: 1, successes: 0 }]);
    await rollup.close();
  });
});
