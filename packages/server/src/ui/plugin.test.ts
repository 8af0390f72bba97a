import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPromqlEngine, createSeriesStore } from '@vigil/engine';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveStream } from './live-stream.js';
import { createDashboardPlugin } from './plugin.js';
import type { OverviewIncident } from './types.js';

interface SseEvent { event: string; data: string }

/** A real HTTP client reading Server-Sent Events frames (and comments) off the socket. */
function openStream(url: string): Promise<{ events: SseEvent[]; comments: string[]; next(name: string, after?: number): Promise<SseEvent>; res: http.IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters: (() => void)[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ event, data: data.join('\n') });
          for (const w of waiters.splice(0)) w();
        }
      });
      const next = async (name: string, after = 0): Promise<SseEvent> => {
        for (;;) {
          const e = events.slice(after).find((x) => x.event === name);
          if (e) return e;
          await new Promise<void>((r) => waiters.push(r));
        }
      };
      resolve({ events, comments, next, res, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function fakeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/ui/assets/app-ABC.js"></script>');
  writeFileSync(path.join(dir, 'assets', 'app-ABC.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'assets', 'app-ABC.css'), 'body{}');
  return dir;
}

async function start(opts: { incidents?: OverviewIncident[]; intervalMs?: number; heartbeatMs?: number; now?: () => number; overviewCacheMs?: number } = {}) {
  const store = createSeriesStore();
  const now = Date.now();
  for (let t = now - 120_000; t <= now; t += 15_000) store.append({ __name__: 'http_requests_total', job: 'api', status_code: '200' }, t, (t - (now - 120_000)) / 100);
  let listener: ((e: { type: 'incident'; incident: OverviewIncident }) => void) | undefined;
  const incidents = opts.incidents;
  const dist = fakeDist();
  const app = Fastify();
  await app.register(
    createDashboardPlugin({
      sources: {
        engine: createPromqlEngine(),
        queryable: store,
        now: opts.now ?? Date.now,
        targets: () => [],
        probes: () => [],
        alerts: () => [{ labels: { alertname: 'A', job: 'api' }, annotations: {}, state: 'firing', activeAt: new Date(now).toISOString(), value: '1' }],
        ...(incidents
          ? {
              incidents: {
                active: () => incidents.filter((i) => i.status !== 'resolved'),
                subscribe: (l: typeof listener) => {
                  listener = l;
                  return () => (listener = undefined);
                },
              },
            }
          : {}),
        healthDetailed: async () => undefined,
      },
      distDir: async () => dist,
      intervalMs: () => opts.intervalMs ?? 60_000,
      heartbeatMs: opts.heartbeatMs ?? 60_000,
      ...(opts.overviewCacheMs !== undefined ? { overviewCacheMs: opts.overviewCacheMs } : {}),
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, url, emit: (i: OverviewIncident) => listener?.({ type: 'incident', incident: i }), hasListener: () => listener !== undefined };
}

describe('dashboard plugin', () => {
  it('serves the shell with a strict CSP and no cache, hashed assets with a long cache, and redirects / to /ui/', async () => {
    const { app } = await start();
    const root = await app.inject('/');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/ui/');
    const index = await app.inject('/ui/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).not.toContain('unsafe-inline');
    const js = await app.inject('/ui/assets/app-ABC.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/ui/assets/app-ABC.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await app.inject('/ui/assets/..%2Findex.html')).statusCode).toBe(404);
    expect((await app.inject('/ui/assets/missing.js')).statusCode).toBe(404);
  });

  it('shares one overview computation per window for overviewCacheMs on its clock, and reports the wait in Server-Timing', async () => {
    let t = Date.now();
    const { app } = await start({ now: () => t, overviewCacheMs: 5000 });
    const get = async (range: string): Promise<{ at: string; timing: string }> => {
      const r = await app.inject(`/api/vigil/overview?range=${range}`);
      return { at: r.json().generated_at, timing: String(r.headers['server-timing']) };
    };
    const first = await get('1h');
    expect(first.timing).toMatch(/^overview;dur=\d+(\.\d)?$/);
    t += 1000;
    // Another window is its own computation; the same window within 5 s is the shared one.
    expect((await get('15m')).at).toBe(new Date(t).toISOString());
    t += 3999;
    expect((await get('1h')).at).toBe(first.at);
    t += 1;
    expect((await get('1h')).at).toBe(new Date(t).toISOString());
  });

  it('answers the overview in one request and rejects a bad range', async () => {
    const { app } = await start();
    const o = (await app.inject('/api/vigil/overview?range=15m')).json();
    expect(o.services.map((s: { name: string }) => s.name)).toEqual(['api']);
    expect(o.range.end - o.range.start).toBe(900);
    expect(o.alerts.firing).toBe(1);
    expect(o.services[0].alerts).toEqual({ firing: 1, pending: 0 });
    const bad = await app.inject('/api/vigil/overview?range=3w');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VIGIL_ERR_UI_BAD_REQUEST');
    const one = await app.inject('/api/vigil/services/api');
    expect(one.json().service.name).toBe('api');
    expect((await app.inject('/api/vigil/services/nope')).statusCode).toBe(404);
    expect((await app.inject('/api/vigil/services')).json().services[0].series).toBeUndefined();
  });

  it('streams a snapshot on connect, periodic updates, incident changes and heartbeats', async () => {
    const incidents: OverviewIncident[] = [{ id: '7', title: 'API down', severity: 'critical', status: 'open', opened_at: new Date().toISOString() }];
    const { url, emit } = await start({ incidents, intervalMs: 300, heartbeatMs: 200 });
    const s = await openStream(`${url}/api/vigil/stream`);
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers['cache-control']).toContain('no-cache');
    const first = JSON.parse((await s.next('overview')).data);
    expect(first.services[0].name).toBe('api');
    expect(JSON.parse((await s.next('alerts')).data).alerts[0].labels.alertname).toBe('A');
    expect(JSON.parse((await s.next('targets')).data)).toEqual([]);
    expect(JSON.parse((await s.next('incidents')).data).incidents.map((i: OverviewIncident) => i.id)).toEqual(['7']);
    // The periodic push: a second overview after the snapshot.
    const seen = s.events.length;
    await s.next('overview', seen);
    incidents[0] = { ...incidents[0]!, status: 'acknowledged' };
    const before = s.events.length;
    emit(incidents[0]);
    const changed = JSON.parse((await s.next('incidents', before)).data);
    expect(changed.changed).toMatchObject({ id: '7', status: 'acknowledged' });
    expect(changed.incidents[0].status).toBe('acknowledged');
    await expect.poll(() => s.comments.includes('heartbeat')).toBe(true);
    s.close();
  });

  it('ends open streams when the server closes', async () => {
    const { app, url, hasListener } = await start({ incidents: [] });
    const b = await openStream(`${url}/api/vigil/stream`);
    await b.next('overview');
    const ended = new Promise<void>((r) => b.res.on('close', () => r()));
    await app.close();
    apps.length = 0;
    await ended;
    expect(hasListener()).toBe(false);
  });
});

describe('createLiveStream', () => {
  async function hub(opts: Parameters<typeof createLiveStream>[0] = {}) {
    const live = createLiveStream(opts);
    const app = Fastify();
    app.get('/s', (req, reply) => live.handle(req, reply));
    app.addHook('preClose', async () => live.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
    return { live, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/s` };
  }

  it('removes clients that go away', async () => {
    const { live, url } = await hub({ snapshot: async () => ({ hello: 1 }) });
    const a = await openStream(url);
    const b = await openStream(url);
    await a.next('hello');
    await b.next('hello');
    expect(live.clientCount()).toBe(2);
    a.close();
    await expect.poll(() => live.clientCount()).toBe(1);
    live.publish('x', { n: 1 });
    expect(JSON.parse((await b.next('x')).data)).toEqual({ n: 1 });
    b.close();
    await expect.poll(() => live.clientCount()).toBe(0);
  });

  it('bounds what a client that stops reading can queue: only the newest event per name waits', async () => {
    const { live, url } = await hub({ maxBufferedBytes: 16 * 1024 });
    const slow = await openStream(url);
    slow.res.pause();
    const fast = await openStream(url);
    await expect.poll(() => live.clientCount()).toBe(2);
    const big = 'x'.repeat(100 * 1024);
    // 40 MB: far more than socket buffers hold, so the paused client's queue must stop growing.
    for (let i = 0; i < 400; i++) {
      live.publish('big', { i, big });
      live.publish('small', { i });
      await new Promise((r) => setImmediate(r));
    }
    const stats = live.clientStats();
    const slowStats = stats.find((x) => x.pendingEvents > 0)!;
    expect(slowStats.pendingEvents).toBe(2);
    expect(slowStats.bufferedBytes).toBeLessThan(16 * 1024 + 2 * 110 * 1024);
    // The reading client got every event.
    await expect.poll(() => fast.events.filter((e) => e.event === 'small').length).toBe(400);
    // Once the slow client reads again it catches up with the newest state, skipping stale ones.
    slow.res.resume();
    await expect.poll(() => slow.events.filter((e) => e.event === 'small').at(-1)?.data).toBe('{"i":399}');
    expect(slow.events.filter((e) => e.event === 'small').length).toBeLessThan(400);
    fast.close();
    slow.close();
  });

});
