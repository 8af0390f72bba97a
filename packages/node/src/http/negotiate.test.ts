import { describe, expect, it } from 'vitest';
import { negotiateExposition } from './negotiate.js';

describe('negotiateExposition', () => {
  it.each([
    [undefined, 'text'],
    ['text/plain', 'text'],
    ['*/*', 'text'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    ['application/openmetrics-text;version=0.0.1', 'text'],
    ['text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
  ] as const)('%s → %s', (accept, expected) => {
    expect(negotiateExposition(accept)).toBe(expected);
  });
});
