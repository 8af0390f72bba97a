/** Exposition formats the `/metrics` endpoint can serve. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Content type of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * Picks the exposition format for an `Accept` header: OpenMetrics when `application/openmetrics-text` is accepted
 * with a higher (or equal) q-value than any text/plain or wildcard entry, otherwise the Prometheus text format.
 * A missing or unparsable header gives text.
 */
export function negotiateExposition(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let om = -1;
  let text = -1;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';').map((s) => s.trim());
    let q = 1;
    let version: string | undefined;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q') q = Number(v);
      if (k === 'version') version = v;
    }
    if (!Number.isFinite(q)) continue;
    const t = (type ?? '').toLowerCase();
    if (t === 'application/openmetrics-text' && (version === undefined || version.startsWith('1.'))) om = Math.max(om, q);
    else if (t === 'text/plain' || t === '*/*' || t === 'text/*') text = Math.max(text, q);
  }
  return om > 0 && om >= text ? 'openmetrics' : 'text';
}
