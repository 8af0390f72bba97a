import { describe, expect, it } from 'vitest';
import { VigilError } from './errors.js';

describe('VigilError', () => {
  it('carries a stable code, its class name and the cause', () => {
    const cause = new Error('root');
    const err = new VigilError('VIGIL_ERR_TEST', 'boom', { cause });
    expect(err.code).toBe('VIGIL_ERR_TEST');
    expect(err.name).toBe('VigilError');
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
  });
});
