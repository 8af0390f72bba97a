// Number and time formatting shared by the pages.

/** "3.2k", "12", "0.53" — compact numbers for tables and cards. */
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  return String(Number(v.toFixed(digits)));
}

/** Seconds as "850 ms", "1.2 s". */
export function secs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v < 1 ? `${num(v * 1000, 0)} ms` : `${num(v, 2)} s`;
}

/** A ratio as a percentage. */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${(v * 100).toFixed(digits)}%`;
}

/** "5m ago" for an RFC 3339 time or epoch ms. */
export function ago(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '' || t === '0001-01-01T00:00:00Z') return 'never';
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) return '–';
  const d = Math.round((Date.now() - ms) / 1000);
  if (d < 0) return `in ${dur(-d)}`;
  return `${dur(d)} ago`;
}

/** A duration in seconds as "1h 5m". */
export function dur(s: number): string {
  if (s < 60) return `${Math.max(0, Math.round(s))}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.round(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** Local date-time for a title attribute. */
export function when(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '';
  const d = new Date(t);
  return Number.isFinite(d.getTime()) ? d.toLocaleString() : '';
}

/** `{a="b", c="d"}` */
export function labelsText(labels: Record<string, string>, skip: string[] = []): string {
  return Object.entries(labels)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
}

/** `url` when it is http(s), else undefined: links from labels or annotations never run script. */
export function safeUrl(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
