/**
 * Truncates `s` to at most `n` Unicode code points, ending in `…` when cut (as Alertmanager's
 * TruncateInRunes); returns `s` unchanged when it fits.
 */
export function truncateRunes(s: string, n: number): string {
  const r = [...s];
  if (r.length <= n) return s;
  if (n <= 3) return r.slice(0, n).join('');
  return r.slice(0, n - 1).join('') + '…';
}
