import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** One loaded template file. */
export interface TemplateFile {
  readonly name: string;
  readonly text: string;
}

function hasMagic(s: string): boolean {
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

async function expand(pattern: string): Promise<string[]> {
  const parts = pattern.split(sep);
  let paths = [parts[0] === '' ? sep : parts[0]!];
  for (const part of parts.slice(1)) {
    if (!part) continue;
    if (!hasMagic(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = segmentRegex(part);
    const next: string[] = [];
    for (const p of paths) {
      let names: string[] = [];
      try {
        names = await readdir(p);
      } catch {
        continue; // like filepath.Glob: a missing directory matches nothing
      }
      for (const n of names.sort()) if (re.test(n)) next.push(join(p, n));
    }
    paths = next;
  }
  return paths;
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
    const files = hasMagic(abs) ? await expand(abs) : [abs];
    for (const f of files) out.push({ name: f, text: await readFile(f, 'utf8') });
  }
  return out;
}
