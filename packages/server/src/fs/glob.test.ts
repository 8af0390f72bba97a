import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlobSync } from './glob.js';

describe('expandGlobSync', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-glob-'));
  for (const d of ['a1', 'a2', 'b']) mkdirSync(path.join(dir, d));
  for (const f of ['a1/x.yml', 'a1/y.json', 'a2/z.yml', 'b/w.yml', 'top.yml']) writeFileSync(path.join(dir, f), '');

  it('matches * ? and [] in the last and in inner segments, sorted', () => {
    expect(expandGlobSync(path.join(dir, 'a1', '*.yml'))).toEqual([path.join(dir, 'a1', 'x.yml')]);
    expect(expandGlobSync(path.join(dir, 'a?', '*.yml'))).toEqual([path.join(dir, 'a1', 'x.yml'), path.join(dir, 'a2', 'z.yml')]);
    expect(expandGlobSync(path.join(dir, '[ab]*', '[!x]*'))).toEqual([path.join(dir, 'a1', 'y.json'), path.join(dir, 'a2', 'z.yml'), path.join(dir, 'b', 'w.yml')]);
  });

  it('returns a plain path unchanged and nothing for a glob under a missing directory', () => {
    expect(expandGlobSync(path.join(dir, 'missing.yml'))).toEqual([path.join(dir, 'missing.yml')]);
    expect(expandGlobSync(path.join(dir, 'nope', '*.yml'))).toEqual([]);
  });
});
