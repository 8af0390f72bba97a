import { describe, expect, it } from 'vitest';
import { createSeriesStore, vanishedSeries } from './series-store.js';
import { labelsKey } from '../model/labels.js';
import { isStaleNaN } from '../model/samples.js';
import { StorageError } from './errors.js';
import type { LabelMatcher } from '../model/matchers.js';

const m = (type: LabelMatcher['type'], name: string, value: string): LabelMatcher => ({ type, name, value });

function fill() {
  const store = createSeriesStore();
  const series: Record<string, string>[] = [
    { __name__: 'http_requests_total', job: 'api', code: '200' },
    { __name__: 'http_requests_total', job: 'api', code: '500' },
    { __name__: 'http_requests_total', job: 'web', code: '200' },
    { __name__: 'up', job: 'api' },
    { __name__: 'up', job: 'web', env: 'prod' },
  ];
  for (let i = 0; i < 300; i++) series.forEach((l, j) => store.append(l, i * 15_000, i * (j + 1)));
  return { store, series };
}

describe('createSeriesStore', () => {
  it('selects by equality, inequality and regex matchers like matchLabels', () => {
    const { store } = fill();
    const names = (ms: LabelMatcher[]) =>
      store
        .select(ms, 0, 1e12)
        .map((s) => labelsKey(s.labels))
        .sort();
    expect(names([m('=', '__name__', 'http_requests_total')])).toHaveLength(3);
    expect(names([m('=', '__name__', 'http_requests_total'), m('=', 'code', '500')])).toEqual([
      labelsKey({ __name__: 'http_requests_total', job: 'api', code: '500' }),
    ]);
    expect(names([m('=~', 'job', 'a.*')])).toHaveLength(3);
    expect(names([m('=~', '__name__', 'up'), m('=', 'env', '')])).toEqual([labelsKey({ __name__: 'up', job: 'api' })]);
    expect(names([m('=~', '__name__', '.+'), m('!=', 'job', 'api')])).toHaveLength(2);
    expect(names([m('=~', '__name__', '.+'), m('!~', 'code', '2..')])).toHaveLength(3);
    expect(names([m('=~', 'env', 'prod|')])).toHaveLength(5);
    expect(names([m('=', 'job', 'nope')])).toEqual([]);
  });

  it('returns samples in the closed window, in order, and omits series without samples there', () => {
    const { store } = fill();
    const [s] = store.select([m('=', '__name__', 'up'), m('=', 'job', 'api')], 30_000, 75_000);
    expect(Array.from(s!.timestamps)).toEqual([30_000, 45_000, 60_000, 75_000]);
    expect(Array.from(s!.values)).toEqual([2 * 4, 3 * 4, 4 * 4, 5 * 4]);
    expect(store.select([m('=', '__name__', 'up')], 1e11, 1e12)).toEqual([]);
  });

  it('answers labelNames and labelValues, optionally filtered by matchers', () => {
    const { store } = fill();
    expect(store.labelNames()).toEqual(['__name__', 'code', 'env', 'job']);
    expect(store.labelNames([m('=', '__name__', 'up')])).toEqual(['__name__', 'env', 'job']);
    expect(store.labelValues('job')).toEqual(['api', 'web']);
    expect(store.labelValues('code', [m('=', 'job', 'web')])).toEqual(['200']);
    expect(store.labelValues('job', undefined, 1e11, 1e12)).toEqual([]);
  });

  it('rejects out-of-order and conflicting duplicate samples with coded errors', () => {
    const store = createSeriesStore();
    store.append({ __name__: 'x' }, 2000, 1);
    expect(() => store.append({ __name__: 'x' }, 1000, 1)).toThrow(StorageError);
    try {
      store.append({ __name__: 'x' }, 1000, 1);
    } catch (e) {
      expect((e as StorageError).code).toBe('VIGIL_ERR_OUT_OF_ORDER');
    }
    store.append({ __name__: 'x' }, 2000, 1); // same value again: ignored
    expect(() => store.append({ __name__: 'x' }, 2000, 2)).toThrow(/duplicate/);
    expect(store.stats().samples).toBe(1);
  });

  it('marks vanished series stale once', () => {
    const store = createSeriesStore();
    const a = { __name__: 'a' };
    const b = { __name__: 'b' };
    store.append(a, 1000, 1);
    store.append(b, 1000, 1);
    const prev = [labelsKey(a), labelsKey(b)];
    const gone = vanishedSeries(prev, new Set([labelsKey(a)]));
    expect(gone).toEqual([labelsKey(b)]);
    expect(store.markStale(gone, 2000)).toBe(1);
    expect(store.markStale(gone, 3000)).toBe(0);
    const [s] = store.select([m('=', '__name__', 'b')], 0, 5000);
    expect(isStaleNaN(s!.values[1]!)).toBe(true);
  });

  it('drops chunks past retention and series left empty, and updates postings', () => {
    const store = createSeriesStore({ retentionMs: 3600_000, chunkSamples: 10 });
    for (let i = 0; i < 100; i++) store.append({ __name__: 'keep' }, i * 60_000, i);
    for (let i = 0; i < 5; i++) store.append({ __name__: 'old' }, i * 60_000, i);
    expect(store.applyRetention(99 * 60_000)).toBe(1);
    expect(store.labelValues('__name__')).toEqual(['keep']);
    const [s] = store.select([m('=', '__name__', 'keep')], 0, 1e12);
    expect(s!.timestamps[0]).toBeLessThanOrEqual(39 * 60_000);
    expect(s!.timestamps[0]).toBeGreaterThan(20 * 60_000);
    expect(store.stats().samples).toBe(s!.timestamps.length);
  });

  it('snapshot/restore reproduces every series, ref and sample and keeps appending', () => {
    const { store } = fill();
    const refUp = store.ref({ __name__: 'up', job: 'api' });
    const copy = createSeriesStore();
    copy.restore(store.snapshot());
    expect(copy.select([m('=~', '__name__', '.+')], 0, 1e12)).toEqual(store.select([m('=~', '__name__', '.+')], 0, 1e12));
    expect(copy.ref({ __name__: 'up', job: 'api' })).toBe(refUp);
    expect(copy.stats().samples).toBe(store.stats().samples);
    copy.append({ __name__: 'up', job: 'api' }, 300 * 15_000, 7);
    expect(() => copy.append({ __name__: 'up', job: 'api' }, 10, 7)).toThrow(/out-of-order/);
    const [s] = copy.select([m('=', '__name__', 'up'), m('=', 'job', 'api')], 299 * 15_000, 1e12);
    expect(Array.from(s!.values)).toEqual([299 * 4, 7]);
    const bad = store.snapshot();
    bad[20] ^= 0xff;
    expect(() => createSeriesStore().restore(bad)).toThrow(expect.objectContaining({ code: 'VIGIL_ERR_SNAPSHOT_CORRUPT' }));
  });

  it('reports stats and enforces the series limit', () => {
    const store = createSeriesStore({ maxSeries: 2 });
    store.append({ __name__: 'a' }, 1, 1);
    store.append({ __name__: 'b' }, 1, 1);
    expect(() => store.append({ __name__: 'c' }, 1, 1)).toThrow(expect.objectContaining({ code: 'VIGIL_ERR_SERIES_LIMIT' }));
    const st = store.stats();
    expect(st.series).toBe(2);
    expect(st.samples).toBe(2);
    expect(st.chunks).toBe(2);
    expect(st.chunkBytes).toBeGreaterThan(0);
  });

  it('matches a brute-force filter over random series and matchers', () => {
    const store = createSeriesStore();
    const all: Record<string, string>[] = [];
    for (let i = 0; i < 200; i++) {
      const l: Record<string, string> = { __name__: `m${i % 7}`, job: `j${i % 3}` };
      if (i % 5 === 0) l['env'] = `e${i % 2}`;
      l['i'] = String(i);
      all.push(l);
      store.append(l, 1000, i);
    }
    const cases: LabelMatcher[][] = [
      [m('=', 'job', 'j1'), m('!~', '__name__', 'm[12]')],
      [m('=~', 'env', 'e.*')],
      [m('!=', 'env', 'e0'), m('=~', 'i', '1.')],
      [m('=~', 'job', 'j0|j2'), m('=', 'env', '')],
    ];
    for (const c of cases) {
      const got = store.select(c, 0, 2000).map((s) => s.labels['i']).sort();
      const want = all
        .filter((l) => c.every((x) => (x.type === '=' ? (l[x.name] ?? '') === x.value : x.type === '!=' ? (l[x.name] ?? '') !== x.value : x.type === '=~' ? new RegExp(`^(?:${x.value})$`).test(l[x.name] ?? '') : !new RegExp(`^(?:${x.value})$`).test(l[x.name] ?? ''))))
        .map((l) => l['i'])
        .sort();
      expect(got).toEqual(want);
    }
  });
});

describe('recent-sample ring', () => {
  it('answers exactly like the chunk path for any window, after retention and restore, StaleNaN included', () => {
    const withRing = createSeriesStore({ chunkSamples: 20, recentSamples: 8 });
    const noRing = createSeriesStore({ chunkSamples: 20, recentSamples: 0 });
    for (const st of [withRing, noRing]) {
      for (let i = 0; i < 95; i++) {
        st.append({ __name__: 'a' }, i * 1000, i % 3 === 0 ? i / 7 : i);
        if (i < 30) st.append({ __name__: 'b' }, i * 1000, i);
      }
      st.markStale([labelsKey({ __name__: 'b' })], 30_000);
    }
    const windows: Array<[number, number]> = [];
    for (let lo = -1000; lo <= 100_000; lo += 3500) for (const len of [0, 2000, 9000, 40_000, 1e9]) windows.push([lo, lo + len]);
    const all = [m('=~', '__name__', '.+')];
    const dump = (st: typeof withRing, lo: number, hi: number) =>
      st.select(all, lo, hi).map((s) => ({
        l: s.labels,
        t: Array.from(s.timestamps),
        bits: Array.from(new Uint32Array(Float64Array.from(s.values).buffer)),
      }));
    const check = (a: typeof withRing, b: typeof withRing) => {
      for (const [lo, hi] of windows) expect(dump(a, lo, hi)).toEqual(dump(b, lo, hi));
    };
    check(withRing, noRing);
    const stale = withRing.select([m('=', '__name__', 'b')], 29_000, 31_000)[0]!;
    expect(isStaleNaN(stale.values[1]!)).toBe(true);
    withRing.truncateBefore(90_000);
    noRing.truncateBefore(90_000);
    check(withRing, noRing);
    const restored = createSeriesStore({ chunkSamples: 20, recentSamples: 8 });
    restored.restore(withRing.snapshot());
    check(restored, noRing);
  });
});
