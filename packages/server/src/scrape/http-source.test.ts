import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeConfig } from '../config/types.js';
import { scrapeConfigWith } from './scrape-config.js';
import { httpBodySource } from './http-source.js';
import { buildTargets } from './targets.js';

const base: ScrapeConfig = scrapeConfigWith({
  job_name: 'app',
  scrape_interval_ms: 15_000,
  scrape_timeout_ms: 2000,
});

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-http-source-'));
const seen: http.IncomingHttpHeaders[] = [];
const handler: http.RequestListener = (req, res) => {
  seen.push(req.headers);
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('up_metric 1\nnon_ascii{v="ü✓"} 2\n');
  else if (url.pathname === '/gzip') res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('zipped 3\n'));
  else if (url.pathname === '/moved') res.writeHead(302, { location: '/metrics' }).end();
  else if (url.pathname === '/loop') res.writeHead(301, { location: '/loop' }).end();
  else if (url.pathname === '/big') res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
  else if (url.pathname === '/slow') setTimeout(() => res.writeHead(200).end('late 1\n'), 3000);
  else res.writeHead(500).end('boom');
};
let plain: http.Server;
let secure: https.Server;
let plainPort = 0;
let securePort = 0;
const caFile = path.join(dir, 'cert.pem');

beforeAll(async () => {
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', caFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  plain = http.createServer(handler);
  secure = https.createServer({ key: readFileSync(key), cert: readFileSync(caFile) }, handler);
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
  plainPort = (plain.address() as AddressInfo).port;
  securePort = (secure.address() as AddressInfo).port;
});
afterAll(async () => {
  plain.closeAllConnections();
  secure.closeAllConnections();
  await new Promise((r) => plain.close(r));
  await new Promise((r) => secure.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function fetchBody(over: Partial<ScrapeConfig>, port = plainPort, signal = AbortSignal.timeout(5000)): Promise<{ body: string; contentType: string }> {
  const [target] = buildTargets({ ...base, ...over, static_configs: [{ targets: [`127.0.0.1:${port}`], labels: {} }] });
  return httpBodySource(target!, signal);
}

describe('httpBodySource (node:http scrape transport)', () => {
  it('gets the body (UTF-8) and content type with scrape headers and auth', async () => {
    const r = await fetchBody({ bearer_token: 's3cret' });
    expect(r).toEqual({ body: 'up_metric 1\nnon_ascii{v="ü✓"} 2\n', contentType: 'text/plain; version=0.0.4' });
    const h = seen.at(-1)!;
    expect(h.authorization).toBe('Bearer s3cret');
    expect(h.accept).toContain('text/plain;version=0.0.4');
    expect(h['x-prometheus-scrape-timeout-seconds']).toBe('2');
    expect(h['accept-encoding']).toBe('gzip');
  });

  it('decodes gzip and follows redirects (but not forever)', async () => {
    expect((await fetchBody({ metrics_path: '/gzip' })).body).toBe('zipped 3\n');
    expect((await fetchBody({ metrics_path: '/moved' })).body).toContain('up_metric 1');
    await expect(fetchBody({ metrics_path: '/loop' })).rejects.toThrow('stopped after 10 redirects');
  });

  it('rejects non-200 answers with the status line, bodies over the limit, and aborted requests', async () => {
    await expect(fetchBody({ metrics_path: '/nope' })).rejects.toThrow('server returned HTTP status 500 Internal Server Error');
    await expect(fetchBody({ metrics_path: '/big', body_size_limit: 10_000 })).rejects.toThrow('body size limit exceeded (10000 bytes)');
    await expect(fetchBody({ metrics_path: '/slow' }, plainPort, AbortSignal.timeout(200))).rejects.toThrow();
  });

  it('verifies TLS against ca_file, refuses an unknown CA, and skips verification when asked', async () => {
    const ok = await fetchBody({ scheme: 'https', tls_config: { insecure_skip_verify: false, ca_file: caFile } }, securePort);
    expect(ok.body).toContain('up_metric 1');
    await expect(fetchBody({ scheme: 'https' }, securePort)).rejects.toThrow(/self[- ]signed|certificate/i);
    const insecure = await fetchBody({ scheme: 'https', tls_config: { insecure_skip_verify: true } }, securePort);
    expect(insecure.body).toContain('up_metric 1');
  });
});
