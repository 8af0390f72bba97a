import { describe, expect, it } from 'vitest';
import { renderStatusAtom } from './render-atom.js';
import { dayClass, dayLabel, renderStatusHtml } from './render-html.js';
import { buildPublicStatus, floorPercent } from './public-status.js';
import type { StatusPageConfig } from './config.js';

const config: StatusPageConfig = {
  enabled: true,
  title: 'Acme <status> & "more"',
  description: '<img src=x onerror=alert(1)>',
  confirm_failures: 2,
  default_services: false,
  services: [{ name: 'API <b>', probes: ['api'], targets: [] }],
};

const status = buildPublicStatus({
  config,
  nowMs: Date.parse('2026-11-30T10:00:00Z'),
  checkStatus: new Map([['API <b>', 'operational']]),
  history: new Map([
    [
      'API <b>',
      [
        { date: '2026-11-28', checks: 0, successes: 0, downtimeMs: 0 },
        { date: '2026-11-29', checks: 10_000, successes: 9_993, downtimeMs: 90_000 },
        { date: '2026-11-30', checks: 100_000, successes: 99_999, downtimeMs: 0 },
      ],
    ],
  ]),
  incidents: [
    {
      id: '1',
      title: '<script>alert(1)</script>',
      impact: 'degraded',
      status: 'investigating',
      resolved: false,
      service: 'API <b>',
      opened_at: '2026-11-30T09:00:00.000Z',
      updates: [{ at: '2026-11-30T09:05:00.000Z', status: 'investigating', text: 'a < b & c' }],
    },
  ],
  dayList: ['2026-11-28', '2026-11-29', '2026-11-30'],
});

describe('status page rendering', () => {
  it('floors percentages so a failure never shows as 100%', () => {
    expect(floorPercent(99_999, 100_000)).toBe(99.99);
    expect(floorPercent(9_993, 10_000)).toBe(99.93);
    expect(status.services[0]!.days.map((d) => d.uptime)).toEqual([null, 99.93, 99.99]);
    expect(status.services[0]!.uptime_percent).toBe(floorPercent(9_993 + 99_999, 110_000));
    // An open incident makes the operational service degraded.
    expect(status.services[0]!.status).toBe('degraded');
  });

  it('labels each day for assistive technology and classes it for the legend', () => {
    const days = status.services[0]!.days;
    expect(days.map(dayLabel)).toEqual(['2026-11-28: no data', '2026-11-29: 99.93% uptime, 1.5 min outage', '2026-11-30: 99.99% uptime']);
    expect(days.map(dayClass)).toEqual(['none', 'ok', 'ok']);
    const d = (uptime: number) => ({ date: '2026-11-30', uptime, checks: 1, downtime_minutes: 0 });
    expect([d(99.9), d(99.89), d(99), d(98.99), d(95), d(94.99)].map(dayClass)).toEqual(['ok', 'minor', 'minor', 'partial', 'partial', 'major']);
  });

  it('escapes every configured and incident text in HTML and Atom, with no script', () => {
    const html = renderStatusHtml(status);
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('Acme &lt;status&gt; &amp; &quot;more&quot;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &lt; b &amp; c');
    expect(html).toContain('role="img" aria-label="2026-11-29: 99.93% uptime, 1.5 min outage"');
    expect(html).toMatch(/<main id="main">/);
    const atom = renderStatusAtom(status, 'https://status.example.com/status');
    expect(atom).not.toMatch(/<script/);
    expect(atom).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(atom).toContain('<id>https://status.example.com/status#incident-1</id>');
    expect(atom).toContain('<updated>2026-11-30T09:05:00.000Z</updated>');
  });
});
