/**
 * Redacts secrets from text that goes into an incident timeline: credentials in URLs
 * (`scheme://user:pass@`), `Authorization`/`Bearer` values, `key=value` / `"key": "value"` pairs whose
 * key looks secret (password, token, secret, api_key, session…), and any of `known` secrets verbatim.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const k of known) if (k.length >= 4) out = out.split(k).join('<redacted>');
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, '$1<redacted>@');
  out = out.replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 <redacted>');
  out = out.replace(
    /(["']?)([A-Za-z0-9_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|session(?:_?id)?|authorization|cookie|credential)[A-Za-z0-9_-]*)\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi,
    (_m, q: string, key: string, sep: string, val: string) => `${q}${key}${q}${sep}${val.startsWith('"') ? '"<redacted>"' : val.startsWith("'") ? "'<redacted>'" : '<redacted>'}`,
  );
  return out;
}

/** Keeps at most `max` characters of `text` (UTF-16 units), marking the cut. */
export function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
