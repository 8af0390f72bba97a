import { describe, expect, it } from 'vitest';
import { createPromqlEngine, createScrapeAppender, createSeriesStore, createExpositionParser } from '@vigil/engine';

/** End to end inside the engine: scrape bodies → parser → scrape appender → store → PromQL. */
describe('series store as the PromQL Queryable', () => {
  const T0 = 1_700_000_000_000;

  function ingest() {
    const store = createSeriesStore();
    const app = createScrapeAppender(store, { mapLabels: (l) => ({ ...l, job: 'api' }) });
    for (let k = 0; k <= 40; k++) {
      const t = T0 + k * 15_000;
      const p = createExpositionParser({ onSample: (s) => app.add(s, t) });
      let body = `# TYPE http_requests_total counter\nhttp_requests_total{code="200"} ${k * 30}\n`;
      if (k < 20) body += `http_requests_total{code="500"} ${k * 3}\n`; // vanishes after scrape 19
      p.write(new TextEncoder().encode(body));
      p.end();
      app.commit(t);
    }
    return store;
  }

  it('rate() over scraped counters gives the per-second rate', () => {
    const engine = createPromqlEngine();
    const v = engine.instantQuery(ingest(), 'rate(http_requests_total{code="200"}[5m])', T0 + 40 * 15_000);
    expect(v.type).toBe('vector');
    if (v.type !== 'vector') return;
    expect(v.samples).toHaveLength(1);
    expect(v.samples[0]!.labels).toEqual({ code: '200', job: 'api' });
    expect(v.samples[0]!.value).toBeCloseTo(2, 9);
  });

  it('a series that vanished from the scrape stops answering at once (staleness marker)', () => {
    const engine = createPromqlEngine();
    const store = ingest();
    const before = engine.instantQuery(store, 'http_requests_total{code="500"}', T0 + 19 * 15_000 + 5_000);
    const after = engine.instantQuery(store, 'http_requests_total{code="500"}', T0 + 20 * 15_000 + 5_000);
    expect(before.type === 'vector' && before.samples.map((s) => s.value)).toEqual([57]);
    // without the StaleNaN written by commit(), the 5 m lookback would still return 57 here
    expect(after.type === 'vector' && after.samples).toEqual([]);
  });
});
