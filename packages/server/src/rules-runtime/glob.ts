import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Expands `*`, `?` and `[...]` in the file-name part of a path (filepath.Glob for one level); sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const base = path.basename(pattern);
  if (!/[*?[]/.test(base)) return [pattern];
  const dir = path.dirname(pattern);
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
}
