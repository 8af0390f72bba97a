/**
 * Prometheus durations (`model.Duration`): `1h30m`, `5m`, `90s`, `0`; parse to milliseconds and
 * format back the way Prometheus prints them (`1h30m`, `0s`).
 */

const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a Prometheus duration to ms; returns null when it is not one. */
export function parseDuration(text: string): number | null {
  if (text === '0') return 0;
  if (text === '') return null;
  const m = RE.exec(text);
  if (!m) return null;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++)
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNITS[i]![1];
  return ms;
}

/** Formats ms as Prometheus's `model.Duration.String()` (`0s`, `1m30s`, `1d`, `1w2d`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  if (rest < 0) {
    out = '-';
    rest = -rest;
  }
  for (const [u, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}
