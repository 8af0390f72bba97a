/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;

/** The UTC calendar day of `ms` as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Start of the UTC day containing `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The `count` UTC days ending with the day of `nowMs`, oldest first (`YYYY-MM-DD`). */
export function lastUtcDays(nowMs: number, count: number): string[] {
  const today = utcDayStart(nowMs);
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(utcDay(today - i * DAY_MS));
  return days;
}

/**
 * Splits the interval [fromMs, toMs) at UTC midnights and calls `fn` with each day and the
 * milliseconds of the interval that fall in it.
 */
export function splitByUtcDay(fromMs: number, toMs: number, fn: (day: string, ms: number) => void): void {
  let t = fromMs;
  while (t < toMs) {
    const end = Math.min(toMs, utcDayStart(t) + DAY_MS);
    fn(utcDay(t), end - t);
    t = end;
  }
}
