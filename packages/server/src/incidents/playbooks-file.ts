import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../config/errors.js';
import { playbooksFileSchema, toPlaybook, type PlaybookConfig } from './config.js';

/**
 * Reads a playbooks file in guide 000's format (`playbooks:` map of name → {trigger, steps} with
 * numbered steps, or a list) and returns its playbooks. Throws `ConfigError` naming the file, line,
 * column and field when it is unreadable or invalid.
 */
export function loadPlaybooksFile(file: string): PlaybookConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, 0, 0, '', `cannot read playbooks file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const pos = lc.linePos(doc.errors[0]!.pos[0]);
    throw new ConfigError(file, pos.line, pos.col, '', `YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  const parsed = playbooksFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Guide-style maps (playbooks by name, numbered steps) were validated as lists: map list
    // indexes back to the map's keys so the position and field name point into the file.
    const p: (string | number)[] = [];
    for (const k of issue.path as (string | number)[]) {
      const parent = doc.getIn(p, true);
      if (typeof k === 'number' && isMap(parent)) {
        const keys = parent.items.map((it) => (isScalar(it.key) ? it.key.value : it.key)) as (string | number)[];
        const ordered = keys.every((x) => /^\d+$/.test(String(x))) ? [...keys].sort((a, b) => Number(a) - Number(b)) : keys;
        p.push(ordered[k] ?? k);
      } else p.push(k);
    }
    let line = 1;
    let col = 1;
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true);
      if (isNode(node) && node.range) {
        ({ line, col } = lc.linePos(node.range[0]));
        break;
      }
    }
    throw new ConfigError(file, line, col, p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, ''), issue.message);
  }
  return parsed.data.playbooks.map(toPlaybook);
}
