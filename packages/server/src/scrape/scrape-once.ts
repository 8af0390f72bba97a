import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { labelsKey, STALE_NAN, type Appendable, type Labels } from '@vigil/engine';
import { parseLine, parseValue } from './parse-text.js';
import { relabel } from './relabel.js';
import type { ScrapeTarget } from './targets.js';

/** What one scrape produced, for target health and the report series. */
export interface ScrapeReport {
  readonly ok: boolean;
  readonly error: string;
  readonly durationSeconds: number;
  readonly samplesScraped: number;
  readonly samplesPostRelabel: number;
  readonly seriesAdded: number;
}

/** A way to fetch a target's body: HTTP by default, or an in-process registry. */
export type BodySource = (target: ScrapeTarget, signal: AbortSignal) => Promise<{ body: string; contentType: string }>;

const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1';

const agents = new Map<string, Agent>();
// One keep-alive agent per TLS setting; the CA file is read once per process.
function tlsAgent(insecure: boolean, caFile: string | undefined): Agent {
  const key = `${insecure}|${caFile ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    a = new Agent({ connect: { rejectUnauthorized: !insecure, ...(caFile ? { ca: readFileSync(caFile) } : {}) } });
    agents.set(key, a);
  }
  return a;
}

/** Fetches a target over HTTP(S) with auth, Accept and timeout headers, enforcing the body size limit. */
export const httpBodySource: BodySource = async (target, signal) => {
  const cfg = target.config;
  const headers: Record<string, string> = {
    accept: ACCEPT,
    'accept-encoding': 'gzip',
    'x-prometheus-scrape-timeout-seconds': String(cfg.scrape_timeout_ms / 1000),
    'user-agent': 'Vigil/0.1',
  };
  if (cfg.basic_auth) headers.authorization = `Basic ${Buffer.from(`${cfg.basic_auth.username}:${cfg.basic_auth.password}`).toString('base64')}`;
  else if (cfg.bearer_token) headers.authorization = `Bearer ${cfg.bearer_token}`;
  const tls = cfg.tls_config;
  const res = (
    tls.insecure_skip_verify || tls.ca_file
      ? await undiciFetch(target.url, { headers, signal, redirect: 'follow', dispatcher: tlsAgent(tls.insecure_skip_verify, tls.ca_file) })
      : await fetch(target.url, { headers, signal, redirect: 'follow' })
  ) as Response;
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
  }
  const limit = cfg.body_size_limit > 0 ? cfg.body_size_limit : 64 * 1024 * 1024;
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`body size limit exceeded (${limit} bytes)`);
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks).toString('utf8'), contentType: res.headers.get('content-type') ?? '' };
};

/** Per-target scrape state kept between scrapes (series seen last time, for staleness). */
export interface ScrapeCache {
  lastSeries: Map<string, Labels>;
  everSeen: Set<string>;
  /** Series text as written by the target → final labels and key (null when relabeling dropped it). */
  entries: Map<string, { labels: Labels; key: string } | null>;
}

/** Creates an empty scrape cache. */
export function createScrapeCache(): ScrapeCache {
  return { lastSeries: new Map(), everSeen: new Set(), entries: new Map() };
}

/** Writes staleness markers for every series of the last scrape (target gone or scrape failed). */
export function markAllStale(cache: ScrapeCache, store: Appendable, t: number): void {
  for (const labels of cache.lastSeries.values()) store.append(labels, t, STALE_NAN);
  cache.lastSeries.clear();
}

function targetSampleLabels(sample: Labels, target: Labels, honor: boolean): Labels {
  const out: Record<string, string> = { ...sample };
  for (const [k, v] of Object.entries(target)) {
    if (honor) {
      if (!(k in out) || out[k] === '') out[k] = v;
    } else {
      if (k in out && out[k] !== '') out[`exported_${k}`] = out[k]!;
      out[k] = v;
    }
  }
  return out;
}

/**
 * Scrapes one target once at `t` (ms): fetches, parses, applies labels and metric_relabel_configs,
 * enforces sample_limit, appends samples, marks vanished series stale, and writes the report series.
 */
export async function scrapeOnce(
  target: ScrapeTarget,
  store: Appendable,
  cache: ScrapeCache,
  t: number,
  source: BodySource,
  clock: () => number = Date.now,
): Promise<ScrapeReport> {
  const cfg = target.config;
  const started = clock();
  let ok = true;
  let error = '';
  let scraped = 0;
  let post = 0;
  let added = 0;
  const current = new Map<string, Labels>();
  try {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(new Error(`context deadline exceeded (timeout ${cfg.scrape_timeout_ms}ms)`)), cfg.scrape_timeout_ms);
    let fetched: { body: string; contentType: string };
    try {
      fetched = await source(target, ctrl.signal);
    } catch (err) {
      throw ctrl.signal.aborted ? (ctrl.signal.reason as Error) : err;
    } finally {
      clearTimeout(timer);
    }
    const openMetrics = fetched.contentType.includes('openmetrics');
    const body = fetched.body;
    const accepted: { labels: Labels; key: string; ts: number; v: number }[] = [];
    let lineNo = 0;
    let pos = 0;
    const seen = new Set<string>();
    while (pos < body.length) {
      let end = body.indexOf('\n', pos);
      if (end < 0) end = body.length;
      lineNo++;
      const raw = body.slice(pos, end);
      pos = end + 1;
      const line = raw.trim();
      if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
      // Prometheus-style scrape cache: the series text decides the labels, so repeat scrapes skip
      // label parsing, relabeling and key building for series already seen.
      const ex = line.indexOf(' # ');
      const head = ex >= 0 ? line.slice(0, ex) : line;
      const brace = head.lastIndexOf('}');
      const split = brace >= 0 ? brace + 1 : head.indexOf(' ');
      if (split <= 0) throw new Error(`line ${lineNo}: expected value [timestamp]`);
      const seriesText = head.slice(0, split);
      scraped++;
      let entry = cache.entries.get(seriesText);
      let value: number;
      let ts: number | undefined;
      if (entry === undefined) {
        const parsed = parseLine(line, lineNo, openMetrics);
        const lb = relabel(targetSampleLabels(parsed.labels, target.labels, cfg.honor_labels), cfg.metric_relabel_configs);
        entry = lb ? { labels: lb, key: labelsKey(lb) } : null;
        cache.entries.set(seriesText, entry);
        value = parsed.value;
        ts = parsed.timestamp;
      } else {
        const fields = head.slice(split).trim().split(/\s+/);
        if (fields.length < 1 || fields.length > 2) throw new Error(`line ${lineNo}: expected value [timestamp]`);
        value = parseValue(fields[0]!, lineNo);
        if (fields.length === 2) {
          const n = Number(fields[1]);
          if (!Number.isFinite(n)) throw new Error(`line ${lineNo}: invalid timestamp`);
          ts = openMetrics ? Math.round(n * 1000) : n;
        }
      }
      seen.add(seriesText);
      if (entry) accepted.push({ labels: entry.labels, key: entry.key, ts: ts ?? t, v: value });
    }
    if (cache.entries.size > 2 * seen.size + 1000) for (const k of cache.entries.keys()) if (!seen.has(k)) cache.entries.delete(k);
    post = accepted.length;
    if (cfg.sample_limit > 0 && post > cfg.sample_limit) throw new Error(`sample limit exceeded (${post} > ${cfg.sample_limit})`);
    for (const a of accepted) {
      const key = a.key;
      if (current.has(key)) continue;
      current.set(key, a.labels);
      if (!cache.everSeen.has(key)) {
        cache.everSeen.add(key);
        added++;
      }
      store.append(a.labels, a.ts, a.v);
    }
  } catch (err) {
    ok = false;
    error = (err as Error).message;
    current.clear();
  }
  for (const [key, labels] of cache.lastSeries) if (!current.has(key)) store.append(labels, t, STALE_NAN);
  cache.lastSeries = current;
  const durationSeconds = (clock() - started) / 1000;
  const report = (name: string, v: number): void => store.append({ __name__: name, ...target.labels }, t, v);
  report('up', ok ? 1 : 0);
  report('scrape_duration_seconds', durationSeconds);
  report('scrape_samples_scraped', scraped);
  report('scrape_samples_post_metric_relabeling', post);
  report('scrape_series_added', added);
  return { ok, error, durationSeconds, samplesScraped: scraped, samplesPostRelabel: post, seriesAdded: added };
}
