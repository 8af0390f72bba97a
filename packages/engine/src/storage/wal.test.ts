import { describe, expect, it } from 'vitest';
import { decodeWalRecords, encodeWalRecord, type WalRecord } from './wal.js';
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
