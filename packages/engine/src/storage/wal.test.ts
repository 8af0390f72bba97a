import { describe, expect, it } from 'vitest';
import { createWalSampleBatch, decodeWalRecords, encodeWalRecord, type WalRecord, type WalSample } from './wal.js';
import { STALE_NAN, isStaleNaN } from '../model/samples.js';

describe('WAL records', () => {
  const recs: WalRecord[] = [
    { type: 'series', ref: 7, labels: { __name__: 'up', job: 'api ✓' } },
    { type: 'samples', samples: [{ ref: 7, t: 1000, v: 1.5 }, { ref: 7, t: 2000, v: STALE_NAN }] },
  ];

  it('round-trips series and sample records, StaleNaN included', () => {
    const bytes = Buffer.concat(recs.map(encodeWalRecord));
    const out = decodeWalRecords(bytes);
    expect(out.torn).toBe(false);
    expect(out.validLength).toBe(bytes.length);
    expect(out.records[0]).toEqual(recs[0]);
    const s = out.records[1]!;
    expect(s.type === 'samples' && isStaleNaN(s.samples[1]!.v)).toBe(true);
  });

  it('stops at a torn or corrupted last frame', () => {
    const full = Buffer.concat(recs.map(encodeWalRecord));
    const firstLen = encodeWalRecord(recs[0]!).length;
    for (let cut = firstLen; cut < full.length; cut++) {
      const out = decodeWalRecords(full.subarray(0, cut));
      expect(out.records).toHaveLength(1);
      expect(out.validLength).toBe(firstLen);
      expect(out.torn).toBe(cut > firstLen);
    }
    const flipped = Buffer.from(full);
    flipped[full.length - 3] ^= 1;
    expect(decodeWalRecords(flipped).records).toHaveLength(1);
  });
});

describe('WAL sample batch', () => {
  it('encodes exactly what encodeWalRecord writes for the same samples, across growth and takes', () => {
    const batch = createWalSampleBatch();
    const samples: WalSample[] = [];
    for (let i = 0; i < 2500; i++) {
      const s = { ref: (i % 37) + 1, t: 1_700_000_000_000 + i * 1000, v: i % 100 === 0 ? STALE_NAN : i * 0.25 - 3 };
      samples.push(s);
      batch.add(s.ref, s.t, s.v);
    }
    expect(batch.count).toBe(2500);
    const frame = batch.take();
    expect(Buffer.from(frame).equals(Buffer.from(encodeWalRecord({ type: 'samples', samples })))).toBe(true);
    const decoded = decodeWalRecords(frame);
    expect(decoded.torn).toBe(false);
    const rec = decoded.records[0]!;
    expect(rec.type === 'samples' && rec.samples.filter((s) => isStaleNaN(s.v)).length).toBe(25);
    expect(batch.count).toBe(0);
    batch.add(9, 5, 6);
    expect(decodeWalRecords(batch.take()).records).toEqual([{ type: 'samples', samples: [{ ref: 9, t: 5, v: 6 }] }]);
  });
});
