import { describe, expect, it } from 'vitest';
import { createIsoClock, createMonotonicWallClock } from './clock.js';

describe('createIsoClock', () => {
  it('formats each millisecond once and follows the clock', () => {
    let now = Date.UTC(2026, 10, 30, 9, 0, 0, 123);
    const clock = createIsoClock(() => now);
    const first = clock.now();
    expect(first).toBe('2026-11-30T09:00:00.123Z');
    expect(clock.now()).toBe(first);
    now += 1;
    expect(clock.now()).toBe('2026-11-30T09:00:00.124Z');
    expect(clock.at(Date.UTC(2027, 0, 1, 0, 0, 0, 7) + 0.9)).toBe('2027-01-01T00:00:00.007Z');
  });

  it('agrees with Date#toISOString across milliseconds, seconds, days and odd years', () => {
    let now = 0;
    const clock = createIsoClock(() => now);
    const starts = [Date.UTC(2026, 11, 31, 23, 59, 59, 990), Date.UTC(1969, 11, 31, 23, 59, 59, 995), Date.UTC(12000, 0, 1), 0];
    for (const start of starts) {
      for (let step = 0; step < 40; step++) {
        now = start + step * 1.5; // fractional clocks are truncated, as Date does
        expect(clock.now()).toBe(new Date(now).toISOString());
      }
    }
  });
});

describe('createMonotonicWallClock', () => {
  it('converts monotonic readings to wall time and follows a step of the wall clock within a second', () => {
    let wall = 1_800_000_000_000;
    let mono = 5_000.25;
    const toWall = createMonotonicWallClock(() => Math.trunc(wall), () => mono);
    expect(Math.abs(toWall(mono) - wall)).toBeLessThan(1);
    expect(Math.abs(toWall(mono + 10) - (wall + 10))).toBeLessThan(1);
    // The wall clock steps back 5 s (NTP): readings within the second keep the old offset...
    wall += 500;
    mono += 500;
    wall -= 5_000;
    expect(toWall(mono) - wall).toBeCloseTo(5_000, -1);
    // ...and the first reading a second later follows the wall clock again.
    wall += 600;
    mono += 600;
    expect(Math.abs(toWall(mono) - wall)).toBeLessThan(1);
    // A small rounding difference (under a millisecond) does not move the offset.
    const offsetBefore = toWall(mono) - mono;
    wall += 1_000.4;
    mono += 1_000.9;
    expect(toWall(mono) - mono).toBe(offsetBefore);
  });
});
