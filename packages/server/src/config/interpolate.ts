/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in config text with environment values; `$$` escapes a
 * dollar. Returns the text and the names that were unset without a default.
 */
export function interpolateEnv(text: string, env: Readonly<Record<string, string | undefined>>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string | undefined, def: string | undefined) => {
    if (whole === '$$') return '$';
    const v = env[name!];
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    missing.push(name!);
    return '';
  });
  return { text: out, missing };
}
