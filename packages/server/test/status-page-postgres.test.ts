import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import { createManualClock } from '../src/alerting/clock.js';
import { createPostgresStateStore } from '../src/state/index.js';
import { createStatusPage } from '../src/status-page/status-page.js';
import { createUptimeRollup } from '../src/status-page/rollup.js';

const schema = `vigil_status_page_test_${process.pid}_${Date.now()}`;

afterAll(async () => {
  if (!(await requireService(postgresUrl()))) return;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

describe('status page uptime rollup on PostgreSQL', () => {
  it('splits days in UTC, survives a restart, sums two replicas and shows no-data days', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const clock = createManualClock(Date.parse('2026-11-29T23:58:00Z'));
    const s1 = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
    const r1 = await createUptimeRollup({ store: s1, clock });
    for (let i = 0; i < 4; i++) r1.record('API', clock.now() + i * 10_000, i !== 2);
    r1.addDowntime('API', Date.parse('2026-11-29T23:59:00Z'), Date.parse('2026-11-30T00:01:30Z'));
    await r1.flush();
    await r1.flush();
    // A replica sharing the database writes its own rows.
    const s2 = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
    const r2 = await createUptimeRollup({ store: s2, clock });
    r2.record('API', clock.now(), true);
    await r2.close();
    await s2.close();
    await r1.close();
    await s1.close();

    await clock.advance(5 * 60_000);
    const s3 = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
    const r3 = await createUptimeRollup({ store: s3, clock });
    r3.record('API', clock.now(), true);
    const days = (await r3.history(['API'], 3)).get('API')!;
    expect(days).toEqual([
      { date: '2026-11-28', checks: 0, successes: 0, downtimeMs: 0 },
      { date: '2026-11-29', checks: 5, successes: 4, downtimeMs: 60_000 },
      { date: '2026-11-30', checks: 1, successes: 1, downtimeMs: 90_000 },
    ]);
    await r3.close();
    const rows = await s3.query<{ n: number }>('SELECT CAST(COUNT(*) AS BIGINT) AS n FROM status_page_uptime');
    expect(rows[0]!.n).toBe(4);
    await s3.close();
  });

  it('serves the page model from Postgres with percentages from the stored days', async () => {
    if (!(await requireService(postgresUrl()))) return;
    const clock = createManualClock(Date.parse('2026-12-05T12:00:00Z'));
    const store = await createPostgresStateStore({ connectionString: postgresUrl(), schema });
    const page = await createStatusPage({
      config: { enabled: true, title: 'PG', confirm_failures: 2, default_services: false, services: [{ name: 'Web', probes: ['web'], targets: [] }] },
      store,
      clock,
    });
    for (let i = 0; i < 10_000; i++) page.observeProbe({ probe: { name: 'web', interval_ms: 1000 }, result: { success: i % 1429 !== 5 }, at: clock.now() - 10_000 + i });
    await page.flush();
    const web = (await page.snapshot()).services[0]!;
    // 7 failures in 10 000 checks: 99.93 %.
    expect(web.days.at(-1)).toMatchObject({ date: '2026-12-05', uptime: 99.93, checks: 10_000 });
    expect(web.uptime_percent).toBe(99.93);
    await page.close();
    await store.close();
  });
});
