import { describe, expect, it } from 'vitest';
import { createUuidGenerator } from './request-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createUuidGenerator', () => {
  it('hands out distinct version 4 UUIDs across batch refills', () => {
    const next = createUuidGenerator(8);
    const ids = Array.from({ length: 1000 }, () => next());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fills every random position with varying hex digits, not a fixed pattern', () => {
    const next = createUuidGenerator();
    const ids = Array.from({ length: 2000 }, () => next());
    for (let pos = 0; pos < 36; pos++) {
      if ([8, 13, 18, 23].includes(pos)) {
        expect(new Set(ids.map((id) => id[pos]))).toEqual(new Set(['-']));
        continue;
      }
      const seen = new Set(ids.map((id) => id[pos]));
      if (pos === 14) expect(seen).toEqual(new Set(['4']));
      else if (pos === 19) expect(seen).toEqual(new Set(['8', '9', 'a', 'b']));
      // 2,000 draws of a uniform nibble leave none of the 16 digits out (the odds of a miss are about 1e-55).
      else expect(seen.size).toBe(16);
    }
  });

  it('gives two generators independent sequences', () => {
    const a = createUuidGenerator(4);
    const b = createUuidGenerator(4);
    const fromA = new Set(Array.from({ length: 50 }, () => a()));
    for (let i = 0; i < 50; i++) expect(fromA.has(b())).toBe(false);
  });
});
