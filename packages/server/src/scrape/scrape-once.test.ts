import { describe, expect, it } from 'vitest';
import { createSeriesStore, isStaleNaN, labelsKey, type Appendable, type Labels, type SeriesStore } from '@vigil/engine';
import type { ScrapeConfig } from '../config/types.js';
import { scrapeConfigWith } from './scrape-config.js';
import { createScrapeCache, markAllStale, scrapeOnce, type BodySource, type ScrapeCache } from './scrape-once.js';
import { buildTargets, type ScrapeTarget } from './targets.js';

const config: ScrapeConfig = scrapeConfigWith({
  job_name: 'app',
  scrape_interval_ms: 15_000,
  scrape_timeout_ms: 1000,
  static_configs: [{ targets: ['app:9100'], labels: {} }],
});

function target(over: Partial<ScrapeConfig> = {}): ScrapeTarget {
  return buildTargets({ ...config, ...over })[0]!;
}

const text = (body: string): BodySource => async () => ({ body, contentType: 'text/plain; version=0.0.4' });

/** Samples of one series (by its labels) as [t, value] pairs, StaleNaN shown as 'stale'. */
function samples(store: SeriesStore, labels: Labels): [number, number | 'stale'][] {
  const key = labelsKey(labels);
  const out: [number, number | 'stale'][] = [];
  for (const s of store.select([{ type: '=', name: '__name__', value: labels.__name__! }], 0, Infinity)) {
    if (labelsKey(s.labels) !== key) continue;
    for (let i = 0; i < s.timestamps.length; i++) out.push([s.timestamps[i]!, isStaleNaN(s.values[i]!) ? 'stale' : s.values[i]!]);
  }
  return out;
}

const job = { job: 'app', instance: 'app:9100' };

describe('scrapeOnce with a ref-appending store', () => {
  it('appends repeat scrapes by series ref; the store holds the only copy of each label set', async () => {
    const store = createSeriesStore();
    const cache = createScrapeCache();
    const t = target();
    const body = 'http_requests_total{code="200"} 1\nhttp_requests_total{code="500"} 2\n';
    await scrapeOnce(t, store, cache, 1000, text(body));
    await scrapeOnce(t, store, cache, 2000, text(body.replace(' 1\n', ' 5\n')));
    expect(samples(store, { __name__: 'http_requests_total', code: '200', ...job })).toEqual([[1000, 1], [2000, 5]]);
    expect(samples(store, { __name__: 'http_requests_total', code: '500', ...job })).toEqual([[1000, 2], [2000, 2]]);
    // The cache keeps refs (numbers), and those refs name the series whose labels the store owns.
    const entries = [...cache.entries.values()];
    expect(entries.every((e) => typeof e === 'number')).toBe(true);
    expect(entries.map((r) => store.labelsOf(r as number))).toEqual([
      { __name__: 'http_requests_total', code: '200', ...job },
      { __name__: 'http_requests_total', code: '500', ...job },
    ]);
  });

  it('marks series missing from the next scrape stale at that scrape, and all of them when a scrape fails', async () => {
    const store = createSeriesStore();
    const cache = createScrapeCache();
    const t = target();
    await scrapeOnce(t, store, cache, 1000, text('a 1\nb 2\n'));
    const r2 = await scrapeOnce(t, store, cache, 2000, text('a 3\n'));
    expect(r2.ok).toBe(true);
    expect(samples(store, { __name__: 'b', ...job })).toEqual([[1000, 2], [2000, 'stale']]);
    const r3 = await scrapeOnce(t, store, cache, 3000, async () => {
      throw new Error('connection refused');
    });
    expect(r3).toMatchObject({ ok: false, error: 'connection refused' });
    expect(samples(store, { __name__: 'a', ...job })).toEqual([[1000, 1], [2000, 3], [3000, 'stale']]);
    expect(samples(store, { __name__: 'up', ...job })).toEqual([[1000, 1], [2000, 1], [3000, 0]]);
    // Back again: fresh samples, no second stale marker for `b` meanwhile.
    await scrapeOnce(t, store, cache, 4000, text('a 4\nb 5\n'));
    expect(samples(store, { __name__: 'b', ...job })).toEqual([[1000, 2], [2000, 'stale'], [4000, 5]]);
  });

  it('appends nothing new when sample_limit is exceeded, and keeps the series for the next good scrape', async () => {
    const store = createSeriesStore();
    const cache = createScrapeCache();
    const t = target({ sample_limit: 2 });
    const r = await scrapeOnce(t, store, cache, 1000, text('a 1\nb 2\nc 3\n'));
    expect(r).toMatchObject({ ok: false, error: 'sample limit exceeded (3 > 2)', samplesScraped: 3 });
    expect(store.labelNames()).toEqual(['__name__', 'instance', 'job']);
    expect(store.labelValues('__name__').filter((n) => !n.startsWith('scrape_') && n !== 'up')).toEqual([]);
    const ok = await scrapeOnce(t, store, cache, 2000, text('a 1\nb 2\n'));
    expect(ok).toMatchObject({ ok: true, seriesAdded: 2 });
    expect(samples(store, { __name__: 'b', ...job })).toEqual([[2000, 2]]);
  });

  it('drops series by metric_relabel_configs, keeps explicit timestamps, skips duplicate series', async () => {
    const store = createSeriesStore();
    const cache = createScrapeCache();
    const t = target({
      metric_relabel_configs: [{ source_labels: ['__name__'], separator: ';', target_label: '', regex: 'debug_.*', modulus: 0, replacement: '$1', action: 'drop' }],
    });
    for (const at of [1000, 2000]) {
      const r = await scrapeOnce(t, store, cache, at, text('debug_x 1\nkept 7 500\nkept 8 600\n'));
      expect(r).toMatchObject({ ok: true, samplesScraped: 3, samplesPostRelabel: 2 });
    }
    expect(store.labelValues('__name__')).not.toContain('debug_x');
    expect(cache.entries.get('debug_x')).toBe(0);
    expect(samples(store, { __name__: 'kept', ...job })).toEqual([[500, 7]]);
  });

  it('re-creates a series the store dropped (retention) on a later scrape', async () => {
    const store = createSeriesStore();
    const cache = createScrapeCache();
    const t = target();
    await scrapeOnce(t, store, cache, 1000, text('a 1\n'));
    store.truncateBefore(10_000);
    await scrapeOnce(t, store, cache, 20_000, text('a 2\n'));
    await scrapeOnce(t, store, cache, 21_000, text('a 3\n'));
    expect(samples(store, { __name__: 'a', ...job }).at(-1)).toEqual([21_000, 3]);
    expect(samples(store, { __name__: 'up', ...job }).at(-1)).toEqual([21_000, 1]);
  });
});

describe('scrapeOnce with a plain Appendable', () => {
  it('appends label sets (target labels attached) and staleness markers', async () => {
    const got: { labels: Labels; t: number; v: number }[] = [];
    const sink: Appendable = { append: (labels, t, v) => got.push({ labels, t, v }) };
    const cache: ScrapeCache = createScrapeCache();
    const t = target();
    await scrapeOnce(t, sink, cache, 1000, text('a{x="1"} 1\nb 2\n'));
    await scrapeOnce(t, sink, cache, 2000, text('a{x="1"} 3\n'));
    markAllStale(cache, sink, 3000);
    const series = got.filter((g) => !g.labels.__name__!.startsWith('scrape_') && g.labels.__name__ !== 'up');
    expect(series.map((g) => [g.labels, g.t, isStaleNaN(g.v) ? 'stale' : g.v])).toEqual([
      [{ __name__: 'a', x: '1', ...job }, 1000, 1],
      [{ __name__: 'b', ...job }, 1000, 2],
      [{ __name__: 'a', x: '1', ...job }, 2000, 3],
      [{ __name__: 'b', ...job }, 2000, 'stale'],
      [{ __name__: 'a', x: '1', ...job }, 3000, 'stale'],
    ]);
  });
});
