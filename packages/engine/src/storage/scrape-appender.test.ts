import { describe, expect, it } from 'vitest';
import { createScrapeAppender } from './scrape-appender.js';
import { createSeriesStore } from './series-store.js';
import { parseExposition } from '../exposition/parser.js';
import { isStaleNaN } from '../model/samples.js';
import type { LabelMatcher } from '../model/matchers.js';

const all: LabelMatcher[] = [{ type: '=~', name: '__name__', value: '.+' }];

function scrape(app: ReturnType<typeof createScrapeAppender>, body: string, t: number): number {
  for (const s of parseExposition(body).samples) app.add(s, t);
  return app.commit(t);
}

describe('createScrapeAppender', () => {
  it('appends at the scrape time, writes StaleNaN once for vanished series, and revives them', () => {
    const store = createSeriesStore();
    const app = createScrapeAppender(store, { mapLabels: (l) => ({ ...l, job: 'api' }) });
    expect(scrape(app, 'a 1\nb{x="1"} 2\n', 1000)).toBe(0);
    expect(scrape(app, 'a 3\n', 2000)).toBe(1);
    expect(scrape(app, 'a 4\n', 3000)).toBe(0);
    expect(scrape(app, 'a 5\nb{x="1"} 6\n', 4000)).toBe(0);
    const b = store.select([{ type: '=', name: '__name__', value: 'b' }], 0, 10_000)[0]!;
    expect(b.labels).toEqual({ __name__: 'b', x: '1', job: 'api' });
    expect(Array.from(b.timestamps)).toEqual([1000, 2000, 4000]);
    expect(isStaleNaN(b.values[1]!)).toBe(true);
    expect(b.values[2]).toBe(6);
    expect(app.lastScrapeSeries).toBe(2);
  });

  it('marks everything stale after a failed scrape, but never series with explicit timestamps', () => {
    const store = createSeriesStore();
    const app = createScrapeAppender(store);
    scrape(app, 'a 1\nb 2 500\n', 1000);
    expect(app.markAllStale(2000)).toBe(1);
    const got = store.select(all, 0, 10_000);
    const a = got.find((s) => s.labels['__name__'] === 'a')!;
    const b = got.find((s) => s.labels['__name__'] === 'b')!;
    expect(isStaleNaN(a.values[1]!)).toBe(true);
    expect(Array.from(b.timestamps)).toEqual([500]);
  });

  it('reports rejected samples through onReject instead of throwing', () => {
    const store = createSeriesStore();
    const rejected: unknown[] = [];
    const app = createScrapeAppender(store, { onReject: (_s, e) => rejected.push(e) });
    scrape(app, 'a 1 5000\n', 1000);
    expect(app.add({ labels: { __name__: 'a' }, value: 1, timestamp: 10, seriesText: 'a' }, 2000)).toBe(false);
    expect(rejected).toHaveLength(1);
    expect(() => createScrapeAppender(store).add({ labels: { __name__: 'a' }, value: 1, timestamp: 10 }, 0)).toThrow(/out-of-order/);
  });
});
