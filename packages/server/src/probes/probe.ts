import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { promises as dns } from 'node:dns';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { Appendable, Labels } from '@vigil/engine';
import { STALE_NAN } from '@vigil/engine';
import type { ProbeConfig } from '../config/types.js';

/** Outcome of one probe run. */
export interface ProbeResult {
  readonly success: boolean;
  readonly durationSeconds: number;
  readonly error: string;
  readonly httpStatus?: number;
  readonly certExpiry?: number;
}

function jsonPath(data: unknown, path: string): unknown {
  // `$.a.b[0].c` or `a.b.0.c`
  const parts = path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  let cur: unknown = data;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function httpProbe(cfg: ProbeConfig, signal: AbortSignal): Promise<{ status: number; body: string; cert?: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const url = new URL(cfg.target);
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: cfg.http.method, signal, headers: { 'user-agent': 'Vigil-probe/0.1' } }, (res) => {
      const socket = res.socket as unknown as { getPeerCertificate?: () => PeerCertificate };
      const cert = socket.getPeerCertificate?.();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1024 * 1024) req.destroy(new Error('probe body over 1 MiB'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ...(cert && cert.valid_to ? { cert } : {}) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function splitHostPort(target: string): { host: string; port: number } {
  const i = target.lastIndexOf(':');
  return { host: target.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(target.slice(i + 1)) };
}

/**
 * Runs one probe like blackbox_exporter: HTTP(S) with status, JSON body, response time and
 * certificate-expiry conditions; TCP connect (TLS when the target starts with `tls://`); DNS lookup.
 */
export async function runProbe(cfg: ProbeConfig, clock: () => number = () => performance.now()): Promise<ProbeResult> {
  const started = clock();
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new Error(`timeout after ${cfg.timeout_ms}ms`)), cfg.timeout_ms);
  const secs = (): number => (clock() - started) / 1000;
  try {
    if (cfg.type === 'http') {
      const res = await httpProbe(cfg, ctrl.signal);
      const d = secs();
      const expiry = res.cert ? Date.parse(res.cert.valid_to) / 1000 : undefined;
      const base = { durationSeconds: d, httpStatus: res.status, ...(expiry !== undefined ? { certExpiry: expiry } : {}) };
      const okStatus = cfg.http.valid_status_codes.length ? cfg.http.valid_status_codes.includes(res.status) : res.status >= 200 && res.status < 300;
      if (!okStatus) return { ...base, success: false, error: `unexpected status ${res.status}` };
      if (cfg.http.body_json_path) {
        let data: unknown;
        try {
          data = JSON.parse(res.body);
        } catch {
          return { ...base, success: false, error: 'body is not JSON' };
        }
        const v = jsonPath(data, cfg.http.body_json_path);
        if (v === undefined) return { ...base, success: false, error: `${cfg.http.body_json_path} not found in body` };
        if (cfg.http.body_json_equals !== undefined && String(v) !== cfg.http.body_json_equals)
          return { ...base, success: false, error: `${cfg.http.body_json_path} is ${JSON.stringify(v)}, want ${cfg.http.body_json_equals}` };
      }
      if (cfg.http.max_response_time_ms !== undefined && d * 1000 > cfg.http.max_response_time_ms)
        return { ...base, success: false, error: `response took ${Math.round(d * 1000)}ms > ${cfg.http.max_response_time_ms}ms` };
      if (cfg.http.min_cert_days !== undefined && expiry !== undefined && expiry - Date.now() / 1000 < cfg.http.min_cert_days * 86400)
        return { ...base, success: false, error: `certificate expires within ${cfg.http.min_cert_days} days` };
      return { ...base, success: true, error: '' };
    }
    if (cfg.type === 'tcp') {
      const tls = cfg.target.startsWith('tls://');
      const { host, port } = splitHostPort(cfg.target.replace(/^(tcp|tls):\/\//, ''));
      const expiry = await new Promise<number | undefined>((resolve, reject) => {
        const sock = tls ? tlsConnect({ host, port, servername: host, rejectUnauthorized: false }) : netConnect({ host, port });
        ctrl.signal.addEventListener('abort', () => sock.destroy(ctrl.signal.reason as Error));
        sock.once(tls ? 'secureConnect' : 'connect', () => {
          const cert = tls ? (sock as ReturnType<typeof tlsConnect>).getPeerCertificate() : undefined;
          sock.destroy();
          resolve(cert?.valid_to ? Date.parse(cert.valid_to) / 1000 : undefined);
        });
        sock.once('error', reject);
      });
      return { success: true, durationSeconds: secs(), error: '', ...(expiry !== undefined ? { certExpiry: expiry } : {}) };
    }
    const addrs = await Promise.race([
      dns.lookup(cfg.target, { all: true }),
      new Promise<never>((_, reject) => ctrl.signal.addEventListener('abort', () => reject(ctrl.signal.reason as Error))),
    ]);
    return addrs.length ? { success: true, durationSeconds: secs(), error: '' } : { success: false, durationSeconds: secs(), error: 'no addresses' };
  } catch (err) {
    return { success: false, durationSeconds: secs(), error: ctrl.signal.aborted ? (ctrl.signal.reason as Error).message : (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Writes a probe result as series: probe_success, probe_duration_seconds, probe_http_status_code, probe_ssl_earliest_cert_expiry. */
export function recordProbe(store: Appendable, cfg: ProbeConfig, r: ProbeResult, t: number, previous?: Set<string>): Set<string> {
  const base: Labels = { job: 'probe', probe: cfg.name, instance: cfg.target, ...cfg.labels };
  const names = new Set<string>();
  const put = (name: string, v: number): void => {
    names.add(name);
    store.append({ __name__: name, ...base }, t, v);
  };
  put('probe_success', r.success ? 1 : 0);
  put('probe_duration_seconds', r.durationSeconds);
  if (r.httpStatus !== undefined) put('probe_http_status_code', r.httpStatus);
  if (r.certExpiry !== undefined) put('probe_ssl_earliest_cert_expiry', r.certExpiry);
  for (const n of previous ?? []) if (!names.has(n)) store.append({ __name__: n, ...base }, t, STALE_NAN);
  return names;
}
