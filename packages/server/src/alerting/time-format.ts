/** Go's zero time as Alertmanager renders it (endsAt of a firing alert). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Formats ms since the epoch as RFC 3339 the way Go does (no trailing zero fraction); 0 → Go's zero time. */
export function rfc3339(ms: number): string {
  if (ms <= 0) return ZERO_TIME;
  const s = new Date(ms).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/** Parses an RFC 3339 timestamp to ms; undefined when absent or Go's zero time; NaN when malformed. */
export function parseRfc3339(s: string | undefined | null): number | undefined {
  if (s === undefined || s === null || s === '' || s.startsWith('0001-01-01T00:00:00')) return undefined;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s)) return Number.NaN;
  return Date.parse(s);
}
