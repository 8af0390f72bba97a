// The module binding, not the global: `globalThis.performance` is an accessor, read again on every call.
import { performance } from 'node:perf_hooks';

/**
 * The logger's clocks: ISO-8601 timestamps formatted once per millisecond, and wall time derived from readings of the
 * monotonic clock that the HTTP adapters take anyway.
 */

/** ISO-8601 timestamps (`new Date(ms).toISOString()`), each millisecond formatted once. */
export interface IsoClock {
  /** The timestamp of the current time. */
  now(): string;
  /** The timestamp of `epochMs` (truncated to the millisecond, as Date does). */
  at(epochMs: number): string;
}

/**
 * Returns a clock of ISO-8601 timestamps that formats the date and time once per second and only appends the
 * milliseconds otherwise: busy servers log many lines per millisecond and thousands per second. Asking for the
 * same millisecond again returns the same string object.
 */
export function createIsoClock(now: () => number = Date.now): IsoClock {
  let lastMs = Number.NaN;
  let lastIso = '';
  let second = Number.NaN;
  let secondPrefix = '';
  const at = (epochMs: number): string => {
    const ms = Math.trunc(epochMs);
    if (ms === lastMs) return lastIso;
    lastMs = ms;
    const within = ((ms % 1000) + 1000) % 1000;
    if (ms - within !== second) {
      second = ms - within;
      // `YYYY-MM-DDTHH:MM:SS.` (six-digit years included): the ISO string without its `mmmZ`.
      secondPrefix = new Date(second).toISOString().slice(0, -4);
    }
    lastIso = `${secondPrefix}${within < 10 ? '00' : within < 100 ? '0' : ''}${within}Z`;
    return lastIso;
  };
  return { now: () => at(now()), at };
}

/**
 * Returns a converter from `performance.now()` readings to epoch milliseconds (what `Date.now()` would have said),
 * so that code which already read the monotonic clock needs no second clock read. The offset between the two
 * clocks is taken from `Date.now()` at creation and checked again at most once a second of monotonic time; a step
 * of the wall clock (NTP, an operator) of a millisecond or more moves the offset. Results never run ahead of
 * `Date.now()` by more than the clocks' own rounding.
 */
export function createMonotonicWallClock(wallNow: () => number = Date.now, monotonicNow: () => number = () => performance.now()): (monotonicMs: number) => number {
  let offset = wallNow() - monotonicNow();
  let nextCheck = monotonicNow() + 1000;
  return (monotonicMs) => {
    if (monotonicMs >= nextCheck) {
      const mono = monotonicNow();
      nextCheck = mono + 1000;
      const drift = wallNow() - (offset + mono);
      if (drift >= 1 || drift <= -1) offset += drift;
    }
    return offset + monotonicMs;
  };
}
