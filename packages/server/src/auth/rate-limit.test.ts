import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from './rate-limit.js';

describe('login rate limiter', () => {
  it('blocks after 10 failures in 15 minutes until the oldest leaves the window', () => {
    let t = 1_000_000;
    const rl = createLoginRateLimiter({ now: () => t });
    for (let i = 0; i < 10; i++) {
      expect(rl.retryAfter('alice|1.2.3.4')).toBe(0);
      rl.fail('alice|1.2.3.4');
      t += 1000;
    }
    expect(rl.retryAfter('alice|1.2.3.4')).toBe(15 * 60_000 - 10_000);
    expect(rl.retryAfter('alice|5.6.7.8')).toBe(0);
    expect(rl.retryAfter('bob|1.2.3.4')).toBe(0);
    t = 1_000_000 + 15 * 60_000 + 1;
    expect(rl.retryAfter('alice|1.2.3.4')).toBe(0);
  });

  it('a success resets the count; keys are bounded', () => {
    const t = 0;
    const rl = createLoginRateLimiter({ now: () => t, maxFailures: 2, maxKeys: 3 });
    rl.fail('a');
    rl.reset('a');
    rl.fail('a');
    expect(rl.retryAfter('a')).toBe(0);
    rl.fail('a');
    expect(rl.retryAfter('a')).toBeGreaterThan(0);
    for (const k of ['b', 'c', 'd']) rl.fail(k);
    expect(rl.retryAfter('a')).toBe(0); // evicted as the oldest key
  });
});
