import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../alerting/clock.js';
import { createSqliteStateStore } from '../state/sqlite-store.js';
import type { StateStore } from '../state/types.js';
import type { StatusPageConfig } from './config.js';
import type { PublicIncidentInput } from './incidents.js';
import { createStatusPage } from './status-page.js';

const open: StateStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function store(): StateStore {
  const s = createSqliteStateStore({ path: ':memory:' });
  open.push(s);
  return s;
}

const config = (services: StatusPageConfig['services'], confirm = 2): StatusPageConfig => ({
  enabled: true,
  title: 'Acme status',
  confirm_failures: confirm,
  services,
  default_services: false,
});

const probe = (name: string, interval_ms = 60_000) => ({ name, interval_ms });

describe('status page model', () => {
  it('needs two consecutive failures before a service is down; one probe of two down is a partial outage', async () => {
    const clock = createManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const page = await createStatusPage({
      config: config([
        { name: 'API', probes: ['api-a', 'api-b'], targets: [] },
        { name: 'Web', probes: ['web'], targets: [] },
      ]),
      store: store(),
      clock,
    });
    const status = async (name: string) => (await page.snapshot()).services.find((s) => s.name === name)!.status;
    expect(await status('API')).toBe('unknown');
    const t = clock.now();
    page.observeProbe({ probe: probe('api-a'), result: { success: true }, at: t });
    page.observeProbe({ probe: probe('api-b'), result: { success: true }, at: t });
    page.observeProbe({ probe: probe('web'), result: { success: false }, at: t });
    expect(await status('API')).toBe('operational');
    expect(await status('Web')).toBe('operational');
    page.observeProbe({ probe: probe('web'), result: { success: false }, at: t + 60_000 });
    expect(await status('Web')).toBe('major_outage');
    page.observeProbe({ probe: probe('api-b'), result: { success: false }, at: t + 60_000 });
    page.observeProbe({ probe: probe('api-b'), result: { success: false }, at: t + 120_000 });
    expect(await status('API')).toBe('partial_outage');
    // Recovered but failing often: degraded until the failures leave the last ten results.
    page.observeProbe({ probe: probe('api-b'), result: { success: true }, at: t + 180_000 });
    expect(await status('API')).toBe('degraded');
    const snap = await page.snapshot();
    expect(snap.status).toEqual({ indicator: 'major_outage', description: 'Major system outage' });
    await page.close();
  });

  it('counts outage time from the first failure of the confirmed streak until recovery', async () => {
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    const clock = createManualClock(t0);
    const page = await createStatusPage({ config: config([{ name: 'API', probes: ['api'], targets: [] }]), store: store(), clock });
    page.observeProbe({ probe: probe('api'), result: { success: true }, at: t0 });
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 60_000 });
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 120_000 });
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 180_000 });
    page.observeProbe({ probe: probe('api'), result: { success: true }, at: t0 + 240_000 });
    // A lone failure later is not an outage.
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 300_000 });
    page.observeProbe({ probe: probe('api'), result: { success: true }, at: t0 + 360_000 });
    await clock.advance(360_000);
    const today = (await page.snapshot()).services[0]!.days.at(-1)!;
    expect(today).toEqual({ date: '2026-11-30', uptime: 42.85, checks: 7, downtime_minutes: 3 });
    await page.close();
  });

  it('shows "unknown" when results stop coming, and counts scrapes of the listed targets', async () => {
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    const clock = createManualClock(t0);
    const page = await createStatusPage({
      config: config([{ name: 'Workers', probes: [], targets: [{ job: 'worker' }, { job: 'batch', instance: 'b1:9100' }] }]),
      store: store(),
      clock,
    });
    const scrape = (job: string, instance: string, success: boolean, at: number) => page.observeTarget({ job, instance, success, at, intervalMs: 15_000 });
    scrape('worker', 'w1:9100', true, t0);
    scrape('worker', 'w2:9100', true, t0);
    scrape('batch', 'b1:9100', true, t0);
    scrape('batch', 'b2:9100', false, t0);
    scrape('other', 'o:1', false, t0);
    let snap = await page.snapshot();
    expect(snap.services[0]!.status).toBe('operational');
    // b2 is not followed, `other` is not listed: 3 checks, all up.
    expect(snap.services[0]!.days.at(-1)!.checks).toBe(3);
    for (const at of [t0 + 15_000, t0 + 30_000]) {
      scrape('worker', 'w1:9100', false, at);
      scrape('worker', 'w2:9100', true, at);
      scrape('batch', 'b1:9100', true, at);
    }
    await clock.advance(30_000);
    snap = await page.snapshot();
    expect(snap.services[0]!.status).toBe('partial_outage');
    expect(snap.services[0]!.days.at(-1)).toMatchObject({ checks: 9, uptime: 77.77 });
    // Nothing new for a long time: the state is no longer known.
    await clock.advance(10 * 60_000);
    snap = await page.snapshot();
    expect(snap.services[0]!.status).toBe('unknown');
    await page.close();
  });

  it('lets public incidents make a service worse, never better, and copies only public fields', async () => {
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    const clock = createManualClock(t0);
    const incidents: PublicIncidentInput[] = [
      {
        id: 7,
        title: 'Elevated API errors',
        severity: 'critical',
        status: 'acknowledged',
        service: 'API',
        opened_at: '2026-11-30T09:40:00Z',
        public_updates: [
          { at: '2026-11-30T09:45:00Z', status: 'investigating', text: 'We are looking into it.' },
          { at: '2026-11-30T09:55:00Z', status: 'identified', text: 'A bad deploy; rolling back.' },
        ],
        // Whatever else the source passes along must not reach the page.
        ...({ labels: { instance: '10.1.2.3:8080' }, alerts: [{ annotations: { summary: 'db-primary down' } }] } as object),
      },
      { id: 8, title: 'Slow search', severity: 'warning', status: 'open', service: 'search-internal-10.0.0.9', opened_at: '2026-11-30T09:50:00Z', updates: [{ at: '2026-11-30T09:51:00Z', status: 'monitoring', text: 'Watching.' }] },
      { id: 3, title: 'Old outage', severity: 'critical', status: 'resolved', service: 'API', opened_at: '2026-11-01T09:00:00Z', resolved_at: '2026-11-01T10:00:00Z' },
      { id: 4, title: 'Yesterday', severity: 'critical', status: 'resolved', service: 'api', opened_at: '2026-11-29T09:00:00Z', resolved_at: '2026-11-29T10:00:00Z' },
    ];
    const page = await createStatusPage({ config: config([{ name: 'API', probes: ['api'], targets: [] }, { name: 'Web', probes: ['web'], targets: [] }]), store: store(), clock, incidents: { publicIncidents: () => incidents } });
    page.observeProbe({ probe: probe('api'), result: { success: true }, at: t0 });
    page.observeProbe({ probe: probe('web'), result: { success: true }, at: t0 });
    const snap = await page.snapshot();
    expect(snap.services.map((s) => [s.name, s.status])).toEqual([
      ['API', 'major_outage'],
      ['Web', 'operational'],
    ]);
    expect(snap.incidents.map((i) => i.id)).toEqual(['8', '7']);
    expect(snap.incidents[1]).toEqual({
      id: '7',
      title: 'Elevated API errors',
      impact: 'major_outage',
      status: 'identified',
      resolved: false,
      service: 'API',
      opened_at: '2026-11-30T09:40:00.000Z',
      updates: [
        { at: '2026-11-30T09:55:00.000Z', status: 'identified', text: 'A bad deploy; rolling back.' },
        { at: '2026-11-30T09:45:00.000Z', status: 'investigating', text: 'We are looking into it.' },
      ],
    });
    // A service name that is not configured is not shown (it could be an internal label value).
    expect(snap.incidents[0]!.service).toBeUndefined();
    // `updates` is read like `public_updates`.
    expect(snap.incidents[0]!.status).toBe('monitoring');
    expect(snap.incidents[0]!.updates).toEqual([{ at: '2026-11-30T09:51:00.000Z', status: 'monitoring', text: 'Watching.' }]);
    expect(snap.recent_incidents.map((i) => i.id)).toEqual(['4']);
    // A label value differing only in case names the configured service, shown as configured.
    expect(snap.recent_incidents[0]!.service).toBe('API');
    expect(JSON.stringify(snap)).not.toMatch(/10\.1\.2\.3|db-primary|search-internal/);
    await page.close();
  });

  it('changes its version on checks, config and incident notifications, and unsubscribes on close', async () => {
    const clock = createManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const listeners = new Set<() => void>();
    const source = { publicIncidents: () => [], subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)) };
    const page = await createStatusPage({ config: config([{ name: 'API', probes: ['api'], targets: [] }]), store: store(), clock });
    const v0 = page.version();
    page.setIncidentSource(source);
    expect(listeners.size).toBe(1);
    const v1 = page.version();
    expect(v1).toBeGreaterThan(v0);
    for (const l of listeners) l();
    expect(page.version()).toBeGreaterThan(v1);
    const v2 = page.version();
    page.observeProbe({ probe: probe('other'), result: { success: true }, at: clock.now() });
    expect(page.version()).toBe(v2);
    page.observeProbe({ probe: probe('api'), result: { success: true }, at: clock.now() });
    expect(page.version()).toBeGreaterThan(v2);
    await page.close();
    expect(listeners.size).toBe(0);
  });

  it('keeps serving when the incident source fails', async () => {
    const clock = createManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const messages: string[] = [];
    const page = await createStatusPage({
      config: config([{ name: 'API', probes: ['api'], targets: [] }]),
      store: store(),
      clock,
      incidents: { publicIncidents: () => Promise.reject(new Error('connection to 10.0.0.5 refused')) },
      onError: (m) => messages.push(m),
    });
    const snap = await page.snapshot();
    expect(snap.incidents_available).toBe(false);
    expect(snap.incidents).toEqual([]);
    expect(messages).toEqual(['status page: cannot read public incidents']);
    expect(JSON.stringify(snap)).not.toContain('10.0.0.5');
    await page.close();
  });

  it('does not hang when the incident source never answers', async () => {
    const clock = createManualClock(Date.parse('2026-11-30T10:00:00Z'));
    const messages: string[] = [];
    const page = await createStatusPage({
      config: config([{ name: 'API', probes: ['api'], targets: [] }]),
      store: store(),
      clock,
      incidents: { publicIncidents: () => new Promise(() => undefined) },
      onError: (m) => messages.push(m),
    });
    let done = false;
    const view = page.snapshot().then((v) => ((done = true), v));
    await clock.advance(2_999);
    expect(done).toBe(false);
    await clock.advance(1);
    const snap = await view;
    expect(snap.incidents_available).toBe(false);
    expect(snap.history_available).toBe(true);
    expect(messages).toEqual(['status page: cannot read public incidents']);
    await page.close();
  });

  it('applies a new config: renamed services start without state, kept ones keep theirs', async () => {
    const t0 = Date.parse('2026-11-30T10:00:00Z');
    const clock = createManualClock(t0);
    const page = await createStatusPage({ config: config([{ name: 'API', probes: ['api'], targets: [] }]), store: store(), clock });
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 });
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 1 });
    page.apply(config([{ name: 'API', probes: ['api'], targets: [] }, { name: 'Docs', probes: ['docs'], targets: [] }], 3));
    let snap = await page.snapshot();
    // With three failures needed now, two are neither an outage nor frequent enough for degraded.
    expect(snap.services.map((s) => s.status)).toEqual(['operational', 'unknown']);
    page.observeProbe({ probe: probe('api'), result: { success: false }, at: t0 + 2 });
    snap = await page.snapshot();
    expect(snap.services[0]!.status).toBe('major_outage');
    await page.close();
  });
});
