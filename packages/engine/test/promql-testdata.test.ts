import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPromqlScript } from './promql-testdata.js';

describe('promqltest-format cases', () => {
  it('passes every case in fixtures/promql-cases.txt', () => {
    const script = readFileSync(new URL('./fixtures/promql-cases.txt', import.meta.url), 'utf8');
    const r = runPromqlScript(script, 'promql-cases.txt');
    expect(r.failures).toEqual([]);
    expect(r.evals).toBeGreaterThan(40);
  });

  it('reports a wrong expectation (the runner can fail)', () => {
    const r = runPromqlScript('load 1m\n  m 1 2\n\neval instant at 1m m\n  m 3\n', 'inline');
    expect(r.failures).toHaveLength(1);
  });
});
