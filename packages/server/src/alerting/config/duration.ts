const re = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const units = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/**
 * Parses a Prometheus duration (`30s`, `1h30m`, `5m`, `0`) into milliseconds; returns undefined
 * when the string is not one (Prometheus's `model.ParseDuration`).
 */
export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  if (s === '') return undefined;
  const m = re.exec(s);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < units.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * units[i]!;
  return ms;
}

/** Formats milliseconds the way Prometheus prints durations (`1h30m`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const names = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  for (let i = 0; i < units.length; i++) {
    const n = Math.floor(rest / units[i]!);
    if (n > 0) {
      out += `${n}${names[i]}`;
      rest -= n * units[i]!;
    }
  }
  return out;
}
