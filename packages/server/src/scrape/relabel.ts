import { createHash } from 'node:crypto';
import type { Labels } from '@vigil/engine';
import type { RelabelConfig } from '../config/types.js';

const reCache = new Map<string, RegExp>();
function anchored(src: string): RegExp {
  let re = reCache.get(src);
  if (!re) {
    re = new RegExp(`^(?:${src})$`, 's');
    if (reCache.size > 1000) reCache.clear();
    reCache.set(src, re);
  }
  return re;
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}; `$$` is a literal dollar.
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => {
    if (whole === '$$') return '$';
    const key = a ?? b!;
    const v = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
    return v ?? '';
  });
}

/**
 * Applies Prometheus relabel_configs to a label set; returns the new labels, or undefined when the
 * target or sample is dropped. Labels with empty values are removed from the result.
 */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  if (configs.length === 0) return labels;
  const lb: Record<string, string> = { ...labels };
  for (const c of configs) {
    const val = c.source_labels.map((n) => lb[n] ?? '').join(c.separator);
    const re = anchored(c.regex);
    switch (c.action) {
      case 'drop':
        if (re.test(val)) return undefined;
        break;
      case 'keep':
        if (!re.test(val)) return undefined;
        break;
      case 'dropequal':
        if ((lb[c.target_label] ?? '') === val) return undefined;
        break;
      case 'keepequal':
        if ((lb[c.target_label] ?? '') !== val) return undefined;
        break;
      case 'replace': {
        const m = re.exec(val);
        if (!m) break;
        const target = expand(c.target_label, m);
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(target)) break;
        const res = expand(c.replacement, m);
        if (res === '') delete lb[target];
        else lb[target] = res;
        break;
      }
      case 'lowercase':
        lb[c.target_label] = val.toLowerCase();
        break;
      case 'uppercase':
        lb[c.target_label] = val.toUpperCase();
        break;
      case 'hashmod': {
        const sum = createHash('md5').update(val).digest();
        lb[c.target_label] = String(sum.readBigUInt64BE(8) % BigInt(c.modulus));
        break;
      }
      case 'labelmap':
        for (const [k, v] of Object.entries({ ...lb })) {
          const m = re.exec(k);
          if (m) lb[expand(c.replacement, m)] = v;
        }
        break;
      case 'labeldrop':
        for (const k of Object.keys(lb)) if (re.test(k)) delete lb[k];
        break;
      case 'labelkeep':
        for (const k of Object.keys(lb)) if (!re.test(k)) delete lb[k];
        break;
    }
  }
  for (const k of Object.keys(lb)) if (lb[k] === '') delete lb[k];
  return lb;
}
