import type { Labels } from '@vigil/engine';

/**
 * Expands the common Go-template forms used in alert annotations and labels: `{{ $labels.x }}`,
 * `{{ $value }}`, `{{ $externalLabels.x }}`, `{{ .Labels.x }}`, `{{ .Value }}`, optionally piped
 * through `humanize`/`printf "%.2f"`. Unknown actions are left as written.
 */
export function expandAlertTemplate(text: string, labels: Labels, value: number, external: Labels): string {
  if (!text.includes('{{')) return text;
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (whole, inner: string) => {
    let m = /^(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(inner);
    if (m) return labels[m[1]!] ?? '';
    m = /^\$externalLabels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(inner);
    if (m) return external[m[1]!] ?? '';
    if (/^(\$value|\.Value)$/.test(inner)) return String(value);
    if (/^(\$value|\.Value)\s*\|\s*humanize$/.test(inner)) return humanize(value);
    m = /^(?:\$value|\.Value)\s*\|\s*printf\s+"%\.(\d)f"$/.exec(inner) ?? /^printf\s+"%\.(\d)f"\s+(?:\$value|\.Value)$/.exec(inner);
    if (m) return value.toFixed(Number(m[1]));
    m = /^(\$value|\.Value)\s*\|\s*humanizePercentage$/.exec(inner);
    if (m) return `${trim4(value * 100)}%`;
    return whole;
  });
}

function trim4(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1) {
    const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
    let i = 0;
    let x = v;
    while (Math.abs(x) >= 1000 && i < prefixes.length - 1) { x /= 1000; i++; }
    return `${trim4(x)}${prefixes[i]}`;
  }
  const prefixes = ['', 'm', 'u', 'n', 'p', 'f', 'a'];
  let i = 0;
  let x = v;
  while (Math.abs(x) < 1 && i < prefixes.length - 1) { x *= 1000; i++; }
  return `${trim4(x)}${prefixes[i]}`;
}
