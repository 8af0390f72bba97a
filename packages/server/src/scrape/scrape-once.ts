import { labelsKey, STALE_NAN, type Appendable, type Labels } from '@vigil/engine';
import type { BodySource } from './http-source.js';
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

export { httpBodySource, type BodySource } from './http-source.js';

/**
 * What scraping needs from a series store: appends by series ref, so repeat scrapes neither hash
 * label sets nor keep their own copy of them (the engine's `SeriesStore` and the monitor's store
 * fit). `appendRef` throws for an unknown ref; `ref` throws when the store refuses a new series.
 */
export interface ScrapeStore extends Appendable {
  ref(labels: Labels): number;
  appendRef(ref: number, timestamp: number, value: number): void;
  labelsOf(ref: number): Labels | undefined;
}

/**
 * Per-target scrape state kept between scrapes. Holds series refs, not label sets: the store owns
 * the one copy of each series' labels.
 */
export interface ScrapeCache {
  /**
   * Series text as written by the target → the store's series ref; `0` when relabeling dropped the
   * series; its labels while the store has not accepted the series yet.
   */
  entries: Map<string, number | Labels>;
  /** Refs of the series in the last scrape (first `lastCount` entries), for staleness markers. */
  lastRefs: Int32Array;
  lastCount: number;
  /** Spare buffer swapped with `lastRefs` (no allocation per scrape once sized). */
  nextRefs: Int32Array;
  /** Refs of the report series (`up`, `scrape_duration_seconds`, ...), by target labels. */
  reportRefs: number[];
}

/** Creates an empty scrape cache. */
export function createScrapeCache(): ScrapeCache {
  return { entries: new Map(), lastRefs: new Int32Array(0), lastCount: 0, nextRefs: new Int32Array(0), reportRefs: [] };
}

const adapters = new WeakMap<Appendable, ScrapeStore>();

/** The store itself when it appends by ref; otherwise an adapter that numbers label sets itself. */
function asScrapeStore(store: Appendable): ScrapeStore {
  const s = store as Partial<ScrapeStore>;
  if (typeof s.ref === 'function' && typeof s.appendRef === 'function' && typeof s.labelsOf === 'function') return store as ScrapeStore;
  let a = adapters.get(store);
  if (!a) {
    const byKey = new Map<string, number>();
    const all: Labels[] = [];
    a = {
      append: (labels, t, v) => store.append(labels, t, v),
      ref(labels) {
        const key = labelsKey(labels);
        let r = byKey.get(key);
        if (r === undefined) {
          all.push(labels);
          byKey.set(key, (r = all.length));
        }
        return r;
      },
      appendRef(ref, t, v) {
        const labels = all[ref - 1];
        if (!labels) throw new Error(`unknown series ref ${ref}`);
        store.append(labels, t, v);
      },
      labelsOf: (ref) => all[ref - 1],
    };
    adapters.set(store, a);
  }
  return a;
}

/** Appends by ref; a ref the store no longer knows (dropped by retention) loses its cache entry. */
function appendCached(store: ScrapeStore, cache: ScrapeCache, ref: number, t: number, v: number): void {
  try {
    store.appendRef(ref, t, v);
  } catch (err) {
    if (store.labelsOf(ref) !== undefined) throw err;
    for (const [k, e] of cache.entries) if (e === ref) cache.entries.delete(k);
  }
}

/** Writes staleness markers for every series of the last scrape (target gone or scrape failed). */
export function markAllStale(cache: ScrapeCache, store: Appendable, t: number): void {
  const st = asScrapeStore(store);
  for (let i = 0; i < cache.lastCount; i++) appendCached(st, cache, cache.lastRefs[i]!, t, STALE_NAN);
  cache.lastCount = 0;
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

// Scratch space for one scrape's accepted samples. Filling and draining it is synchronous (no await
// in between), so loops of different targets never interleave in it. Typed arrays and one reused
// array instead of an object per sample: a scrape leaves no garbage that outlives it.
const scratchEntries: (number | Labels)[] = [];
let scratchValues = new Float64Array(1024);
let scratchTimes = new Float64Array(1024);

function growScratch(n: number): void {
  if (n <= scratchValues.length) return;
  const size = Math.max(n, scratchValues.length * 2);
  const v = new Float64Array(size);
  v.set(scratchValues);
  const t = new Float64Array(size);
  t.set(scratchTimes);
  scratchValues = v;
  scratchTimes = t;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Scrapes one target once at `t` (ms): fetches, parses, applies labels and metric_relabel_configs,
 * enforces sample_limit, appends samples, marks vanished series stale, and writes the report series.
 * With a store that appends by ref (`ScrapeStore`), repeat scrapes of known series only parse values.
 */
export async function scrapeOnce(
  target: ScrapeTarget,
  store: Appendable,
  cache: ScrapeCache,
  t: number,
  source: BodySource,
  clock: () => number = Date.now,
): Promise<ScrapeReport> {
  const st = asScrapeStore(store);
  const cfg = target.config;
  const started = clock();
  let ok = true;
  let error = '';
  let scraped = 0;
  let post = 0;
  let added = 0;
  let current: Set<number> | undefined;
  // Labels of series the store has not accepted yet → their series text (the cache key to update).
  let pendingText: Map<Labels, string> | undefined;
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
    // From here to the end everything is synchronous (see the scratch buffers above).
    const openMetrics = fetched.contentType.includes('openmetrics');
    const body = fetched.body;
    let lineNo = 0;
    let pos = 0;
    while (pos < body.length) {
      let end = body.indexOf('\n', pos);
      if (end < 0) end = body.length;
      lineNo++;
      const raw = body.slice(pos, end);
      pos = end + 1;
      const line = raw.trim();
      if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
      // Prometheus-style scrape cache: the series text decides the labels, so repeat scrapes skip
      // label parsing, relabeling and series lookup for series already seen.
      const ex = line.indexOf(' # ');
      const head = ex >= 0 ? line.slice(0, ex) : line;
      const brace = head.lastIndexOf('}');
      const split = brace >= 0 ? brace + 1 : head.indexOf(' ');
      if (split <= 0) throw new Error(`line ${lineNo}: expected value [timestamp]`);
      const seriesText = head.slice(0, split);
      scraped++;
      let entry = cache.entries.get(seriesText);
      let value: number;
      let ts = NaN;
      if (entry === undefined) {
        const parsed = parseLine(line, lineNo, openMetrics);
        const lb = relabel(targetSampleLabels(parsed.labels, target.labels, cfg.honor_labels), cfg.metric_relabel_configs);
        entry = lb ?? 0;
        cache.entries.set(seriesText, entry);
        value = parsed.value;
        if (parsed.timestamp !== undefined) ts = parsed.timestamp;
      } else {
        // value [timestamp], separated by blanks
        let i = split;
        const n = head.length;
        while (i < n && isSpace(head.charCodeAt(i))) i++;
        let j = i;
        while (j < n && !isSpace(head.charCodeAt(j))) j++;
        let k = j;
        while (k < n && isSpace(head.charCodeAt(k))) k++;
        let l = k;
        while (l < n && !isSpace(head.charCodeAt(l))) l++;
        let m = l;
        while (m < n && isSpace(head.charCodeAt(m))) m++;
        if (i === j || m < n) throw new Error(`line ${lineNo}: expected value [timestamp]`);
        value = parseValue(head.slice(i, j), lineNo);
        if (k < n) {
          const tsv = Number(head.slice(k, l));
          if (!Number.isFinite(tsv)) throw new Error(`line ${lineNo}: invalid timestamp`);
          ts = openMetrics ? Math.round(tsv * 1000) : tsv;
        }
      }
      if (entry === 0) continue;
      if (typeof entry !== 'number') (pendingText ??= new Map()).set(entry, seriesText);
      growScratch(post + 1);
      scratchEntries[post] = entry;
      scratchValues[post] = value;
      scratchTimes[post] = ts;
      post++;
    }
    if (cfg.sample_limit > 0 && post > cfg.sample_limit) throw new Error(`sample limit exceeded (${post} > ${cfg.sample_limit})`);
    current = new Set<number>();
    for (let i = 0; i < post; i++) {
      let ref = scratchEntries[i]!;
      if (typeof ref !== 'number') {
        // A new series: the store takes the labels (it may refuse it: series limit) and gives its ref.
        const labels = ref;
        try {
          ref = st.ref(labels);
        } catch {
          continue; // refused (series limit); retried on the next scrape
        }
        cache.entries.set(pendingText!.get(labels)!, ref);
        added++;
      }
      if (current.has(ref)) continue;
      current.add(ref);
      const ts = scratchTimes[i]!;
      appendCached(st, cache, ref, Number.isNaN(ts) ? t : ts, scratchValues[i]!);
    }
    // Drop cache entries of series no longer exposed (refs not in this scrape; dropped ones re-parse).
    if (cache.entries.size > 2 * scraped + 1000) for (const [k, e] of cache.entries) if (typeof e !== 'number' || !current.has(e)) cache.entries.delete(k);
  } catch (err) {
    ok = false;
    error = (err as Error).message;
    current = undefined;
  } finally {
    scratchEntries.length = 0;
  }
  for (let i = 0; i < cache.lastCount; i++) {
    const ref = cache.lastRefs[i]!;
    if (!current?.has(ref)) appendCached(st, cache, ref, t, STALE_NAN);
  }
  const n = current?.size ?? 0;
  let next = cache.nextRefs;
  if (next.length < n) next = new Int32Array(Math.max(n, next.length * 2));
  let o = 0;
  if (current) for (const ref of current) next[o++] = ref;
  cache.nextRefs = cache.lastRefs;
  cache.lastRefs = next;
  cache.lastCount = o;
  const durationSeconds = (clock() - started) / 1000;
  const report = (i: number, name: string, v: number): void => {
    try {
      let ref = cache.reportRefs[i];
      if (ref === undefined || st.labelsOf(ref) === undefined) cache.reportRefs[i] = ref = st.ref({ __name__: name, ...target.labels });
      st.appendRef(ref, t, v);
    } catch {
      // refused (series limit) or out of order (clock stepped back): dropped, as scraped samples are
    }
  };
  report(0, 'up', ok ? 1 : 0);
  report(1, 'scrape_duration_seconds', durationSeconds);
  report(2, 'scrape_samples_scraped', scraped);
  report(3, 'scrape_samples_post_metric_relabeling', post);
  report(4, 'scrape_series_added', added);
  return { ok, error, durationSeconds, samplesScraped: scraped, samplesPostRelabel: post, seriesAdded: added };
}
