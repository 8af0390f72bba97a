import { readdirSync } from 'node:fs';
import { isAbsolute, join, parse, sep } from 'node:path';

/** Whether a path segment contains glob syntax (`*`, `?`, `[...]`). */
export function hasGlobMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

function segmentRegex(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/**
 * Expands a path pattern as Go's `filepath.Glob` does (what Prometheus and Alertmanager use for
 * `rule_files`, `file_sd_configs` and `templates`): `*`, `?` and `[...]` in any segment, matches
 * sorted per directory, a missing directory matching nothing. A pattern without magic is returned
 * as is, existing or not, so that the caller reports a missing named file.
 */
export function expandGlobSync(pattern: string): string[] {
  if (!hasGlobMagic(pattern)) return [pattern];
  const root = isAbsolute(pattern) ? parse(pattern).root : '';
  const parts = pattern.slice(root.length).split(sep).filter((p) => p !== '');
  let paths = [root === '' ? '.' : root];
  for (const part of parts) {
    if (!hasGlobMagic(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = segmentRegex(part);
    const next: string[] = [];
    for (const p of paths) {
      let names: string[];
      try {
        names = readdirSync(p);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (re.test(n)) next.push(join(p, n));
    }
    paths = next;
  }
  return paths;
}
