import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { expandGlobSync } from '../fs/glob.js';

/** One loaded template file. */
export interface TemplateFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Reads the files of an alertmanager.yml `templates:` list: each entry is a path or a glob
 * (`*`, `?`, `[...]` in any segment), relative to `baseDir` (the config file's directory). A glob
 * matching nothing is fine, as in Alertmanager; a named file that is missing is an error.
 */
export async function loadTemplateFiles(patterns: readonly string[], baseDir: string): Promise<TemplateFile[]> {
  const out: TemplateFile[] = [];
  for (const p of patterns) {
    const abs = isAbsolute(p) ? p : resolve(baseDir, p);
    const files = expandGlobSync(abs);
    for (const f of files) out.push({ name: f, text: await readFile(f, 'utf8') });
  }
  return out;
}
