import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { ScrapeTarget } from './targets.js';

/** A way to fetch a target's body: HTTP by default, or an in-process registry. */
export type BodySource = (target: ScrapeTarget, signal: AbortSignal) => Promise<{ body: string; contentType: string }>;

const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';
const MAX_REDIRECTS = 10;

const agents = new Map<string, http.Agent>();
// One keep-alive agent per scheme and TLS setting; the CA file is read once per process.
function agentFor(https_: boolean, insecure: boolean, caFile: string | undefined): http.Agent {
  const key = `${https_}|${insecure}|${caFile ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    a = https_
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !insecure, ...(caFile ? { ca: readFileSync(caFile) } : {}) })
      : new http.Agent({ keepAlive: true });
    agents.set(key, a);
  }
  return a;
}

function get(url: URL, target: ScrapeTarget, headers: Record<string, string>, signal: AbortSignal, redirects: number): Promise<{ body: string; contentType: string }> {
  const cfg = target.config;
  const secure = url.protocol === 'https:';
  const agent = agentFor(secure, cfg.tls_config.insecure_skip_verify, cfg.tls_config.ca_file);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, { method: 'GET', headers, agent, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) reject(new Error(`stopped after ${MAX_REDIRECTS} redirects`));
        else resolve(get(new URL(res.headers.location, url), target, headers, signal, redirects + 1));
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`server returned HTTP status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      const encoding = res.headers['content-encoding'];
      const stream: Readable = encoding === 'gzip' || encoding === 'x-gzip' ? res.pipe(createGunzip()) : res;
      // The limit applies to the decoded body, as in Prometheus.
      const limit = cfg.body_size_limit > 0 ? cfg.body_size_limit : 64 * 1024 * 1024;
      // Decoded piece by piece: the socket's buffers are dropped as they arrive instead of being
      // kept for one concatenation (they live outside the V8 heap and would linger until a full GC).
      const decoder = new StringDecoder('utf8');
      const parts: string[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.destroy();
          reject(new Error(`body size limit exceeded (${limit} bytes)`));
          return;
        }
        parts.push(decoder.write(chunk));
      });
      stream.on('end', () => {
        parts.push(decoder.end());
        resolve({ body: parts.join(''), contentType: res.headers['content-type'] ?? '' });
      });
      stream.on('error', reject);
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('connection closed before the body was complete')));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Fetches a target over HTTP(S) with node:http and a keep-alive agent per TLS setting: auth,
 * Accept and timeout headers, gzip, redirects (up to 10), and the body size limit. Rejects with the
 * status line for a non-200 answer; `signal` aborts the request.
 */
export const httpBodySource: BodySource = (target, signal) => {
  const cfg = target.config;
  const headers: Record<string, string> = {
    accept: ACCEPT,
    'accept-encoding': 'gzip',
    'x-prometheus-scrape-timeout-seconds': String(cfg.scrape_timeout_ms / 1000),
    'user-agent': 'Vigil/0.1',
  };
  if (cfg.basic_auth) headers.authorization = `Basic ${Buffer.from(`${cfg.basic_auth.username}:${cfg.basic_auth.password}`).toString('base64')}`;
  else if (cfg.bearer_token) headers.authorization = `Bearer ${cfg.bearer_token}`;
  return get(new URL(target.url), target, headers, signal, 0);
};
