import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthRegistry } from '../registry.js';
import type { HealthCheckDefinition } from '../types.js';
import { diskSpaceCheck } from './disk-check.js';
import { dnsCheck } from './dns-check.js';
import { eventLoopDelayCheck } from './event-loop-check.js';
import { httpCheck } from './http-check.js';
import { memoryCheck } from './memory-check.js';
import { tcpCheck } from './tcp-check.js';
import { tlsCertificateCheck } from './tls-check.js';

async function runOnce(def: HealthCheckDefinition) {
  const registry = createHealthRegistry({ logger: false });
  registry.register(def);
  const result = await registry.check(def.name);
  await registry.close();
  return result;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

describe('httpCheck', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok') res.end('{"status":"ok"}');
      else if (req.url === '/hang') return;
      else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    port = await listen(server);
  });
  afterAll(() => server.closeAllConnections?.() ?? server.close());

  it('is healthy on the expected status and body', async () => {
    const r = await runOnce(
      httpCheck({ url: `http://127.0.0.1:${port}/ok`, expectedStatus: 200, body: /"ok"/ }),
    );
    expect(r.status).toBe('healthy');
    expect(r.details).toMatchObject({ status_code: 200 });
  });
  it('fails on an unexpected status or body, without leaking URL credentials', async () => {
    const bad = await runOnce(httpCheck({ url: `http://user:topsecretpw@127.0.0.1:${port}/err` }));
    expect(bad.status).toBe('unhealthy');
    expect(JSON.stringify(bad)).not.toContain('topsecretpw');
    const body = await runOnce(
      httpCheck({ url: `http://127.0.0.1:${port}/ok`, body: 'nope', failStatus: 'degraded' }),
    );
    expect(body.status).toBe('degraded');
  });
  it('a hanging endpoint ends at the timeout', async () => {
    const r = await runOnce(httpCheck({ url: `http://127.0.0.1:${port}/hang`, timeoutMs: 100 }));
    expect(r.status).toBe('unhealthy');
    expect(r.error).toMatch(/timed out/);
    expect(r.response_time_ms).toBeLessThan(100 + 100);
  });
});

describe('tcpCheck and dnsCheck', () => {
  it('connects to a listening port and fails on a closed one', async () => {
    const server = net.createServer((s) => s.end());
    const port = await listen(server);
    expect((await runOnce(tcpCheck({ host: '127.0.0.1', port }))).status).toBe('healthy');
    server.close();
    await new Promise((r) => server.once('close', r));
    const closed = await runOnce(tcpCheck({ host: '127.0.0.1', port }));
    expect(closed.status).toBe('unhealthy');
    expect(closed.error).toMatch(/ECONNREFUSED/);
  });
  it('resolves localhost and fails on an invalid name', async () => {
    expect((await runOnce(dnsCheck({ hostname: 'localhost' }))).status).toBe('healthy');
    expect(
      (await runOnce(dnsCheck({ hostname: 'no-such-host.invalid', timeoutMs: 3000 }))).status,
    ).toBe('unhealthy');
  });
});

describe('tlsCertificateCheck', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-tls-'));
  const servers: tls.Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  async function serverWithCert(days: number): Promise<number> {
    const key = path.join(dir, `k${days}.pem`);
    const cert = path.join(dir, `c${days}.pem`);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        String(days),
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const server = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) =>
      s.end(),
    );
    servers.push(server);
    return listen(server);
  }
  it('judges days left against warning and critical thresholds', async () => {
    const [p90, p20, p3] = await Promise.all([
      serverWithCert(90),
      serverWithCert(20),
      serverWithCert(3),
    ]);
    const ok = await runOnce(tlsCertificateCheck({ host: '127.0.0.1', port: p90 }));
    expect(ok.status).toBe('healthy');
    expect(ok.details?.days_left).toBeGreaterThan(88);
    expect((await runOnce(tlsCertificateCheck({ host: '127.0.0.1', port: p20 }))).status).toBe(
      'degraded',
    );
    expect((await runOnce(tlsCertificateCheck({ host: '127.0.0.1', port: p3 }))).status).toBe(
      'unhealthy',
    );
    // A clock 100 days ahead sees the 90-day certificate as expired.
    const later = await runOnce(
      tlsCertificateCheck({
        host: '127.0.0.1',
        port: p90,
        now: () => Date.now() + 100 * 86_400_000,
      }),
    );
    expect(later.status).toBe('unhealthy');
  });
});

describe('host resource checks', () => {
  it('disk space follows the free-percent thresholds', async () => {
    const r = await runOnce(diskSpaceCheck({ path: os.tmpdir() }));
    expect(r.critical).toBe(false);
    expect(r.details?.free_percent).toBeTypeOf('number');
    const strict = await runOnce(
      diskSpaceCheck({ path: os.tmpdir(), warningFreePercent: 100, criticalFreePercent: 100 }),
    );
    expect(strict.status).toBe('unhealthy');
  });
  it('memory follows the used-percent thresholds of guide 004', async () => {
    const at = (usedPct: number) =>
      memoryCheck({ systemMemory: () => ({ totalBytes: 1000, freeBytes: 1000 - usedPct * 10 }) });
    expect((await runOnce(at(50))).status).toBe('healthy');
    expect((await runOnce(at(85))).status).toBe('degraded');
    expect((await runOnce(at(95))).status).toBe('unhealthy');
    expect(
      (
        await runOnce(
          memoryCheck({ maxRssMb: 1, systemMemory: () => ({ totalBytes: 10, freeBytes: 9 }) }),
        )
      ).status,
    ).toBe('degraded');
  });
  it('event-loop delay reports a blocked loop', async () => {
    const def = eventLoopDelayCheck({ warningMs: 50, criticalMs: 5000, resolutionMs: 10 });
    const registry = createHealthRegistry({ logger: false });
    registry.register(def);
    expect((await registry.check('event_loop', { fresh: true })).status).toBe('healthy');
    await new Promise((r) => setTimeout(r, 30));
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // Busy-wait on purpose: the loop is blocked for 150 ms.
    }
    await new Promise((r) => setTimeout(r, 30));
    const blocked = await registry.check('event_loop', { fresh: true });
    expect(blocked.status).toBe('degraded');
    expect(blocked.tags).toEqual(['live']);
    await registry.close();
  });
});
