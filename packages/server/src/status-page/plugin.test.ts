import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { StatusPageConfig } from './config.js';
import { createStatusPagePlugin } from './plugin.js';
import { buildPublicStatus, type PublicStatus } from './public-status.js';
import type { StatusPage } from './status-page.js';

const config: StatusPageConfig = { enabled: true, title: 'T', confirm_failures: 2, default_services: false, services: [] };

function fakePage(): StatusPage & { calls: number; bump(): void; cfg: StatusPageConfig } {
  let version = 0;
  const page = {
    calls: 0,
    cfg: config,
    bump: () => void version++,
    config: () => page.cfg,
    apply: () => undefined,
    observeProbe: () => undefined,
    observeTarget: () => undefined,
    setIncidentSource: () => undefined,
    version: () => version,
    async snapshot(): Promise<PublicStatus> {
      page.calls++;
      await new Promise((r) => setTimeout(r, 5));
      return buildPublicStatus({ config: page.cfg, nowMs: 0, checkStatus: new Map(), history: new Map(), incidents: [], dayList: [] });
    },
    flush: async () => undefined,
    close: async () => undefined,
  };
  return page;
}

describe('status page plugin', () => {
  it('shares one view among concurrent requests and recomputes after a check once the minimum age passed', async () => {
    let t = 1_000_000;
    const page = fakePage();
    const app = Fastify();
    await app.register(createStatusPagePlugin({ statusPage: page, now: () => t }));
    await Promise.all(Array.from({ length: 20 }, () => app.inject({ url: '/api/public/status' })));
    expect(page.calls).toBe(1);
    t += 900;
    page.bump();
    await app.inject({ url: '/status' });
    expect(page.calls).toBe(1);
    t += 200;
    await app.inject({ url: '/status' });
    expect(page.calls).toBe(2);
    // No new check: the view lives 5 s.
    t += 3_000;
    await app.inject({ url: '/status' });
    expect(page.calls).toBe(2);
    t += 2_100;
    await app.inject({ url: '/status' });
    expect(page.calls).toBe(3);
    await app.close();
  });

  it('answers HEAD, sets the public cache and security headers, and 404s when disabled', async () => {
    const page = fakePage();
    const app = Fastify();
    await app.register(createStatusPagePlugin({ statusPage: page }));
    const head = await app.inject({ method: 'HEAD', url: '/status' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['cache-control']).toBe('public, max-age=30');
    expect(head.headers['x-content-type-options']).toBe('nosniff');
    const feed = await app.inject({ url: '/status/feed.atom', headers: { host: 'status.example.com' } });
    expect(feed.body).toContain('<id>http://status.example.com/status/feed.atom</id>');
    const plain = await app.inject({ url: '/api/public/status' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toMatchObject({ title: 'T', services: [] });
    const zipped = await app.inject({ url: '/status', headers: { 'accept-encoding': 'br, gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString()).toMatch(/^<!doctype html>[\s\S]*<h1>T<\/h1>/);
    page.cfg = { ...config, enabled: false };
    expect((await app.inject({ url: '/status' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/public/status' })).statusCode).toBe(404);
    await app.close();
  });
});
