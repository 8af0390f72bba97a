import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parsePromql } from '@vigil/engine';
import { parseConfigDuration } from '../config/duration.js';
import { ConfigError } from '../config/errors.js';

/** One rule loaded from a Prometheus rule file. */
export interface LoadedRule {
  readonly kind: 'recording' | 'alerting';
  readonly name: string;
  readonly expr: string;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One rule group loaded from a file. */
export interface LoadedGroup {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly rules: readonly LoadedRule[];
}

const duration = z.string().refine((s) => parseConfigDuration(s) !== undefined, { message: 'not a valid duration' });
const ruleSchema = z.strictObject({
  record: z.string().optional(),
  alert: z.string().optional(),
  expr: z.union([z.string(), z.number()]).transform(String),
  for: duration.optional(),
  keep_firing_for: duration.optional(),
  labels: z.record(z.string(), z.coerce.string()).default({}),
  annotations: z.record(z.string(), z.coerce.string()).default({}),
});
const fileSchema = z.strictObject({
  groups: z.array(z.strictObject({ name: z.string().min(1), interval: duration.optional(), limit: z.number().optional(), rules: z.array(ruleSchema).default([]) })).default([]),
});

/**
 * Parses a Prometheus rule file (groups of recording and alerting rules), checking PromQL; throws
 * ConfigError naming file:line:column and the field. (Adapter until the engine exports its rule parser.)
 */
export function parseRuleFile(text: string, file: string, defaultIntervalMs: number): LoadedGroup[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const at = (p: (string | number)[]): { line: number; col: number } => {
    for (let n = p.length; n >= 0; n--) {
      const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) return lc.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  };
  if (doc.errors.length) {
    const pos = lc.linePos(doc.errors[0]!.pos[0]);
    throw new ConfigError(file, pos.line, pos.col, '', `YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const p = issue.path as (string | number)[];
    const { line, col } = at(p);
    throw new ConfigError(file, line, col, p.join('.'), issue.message);
  }
  const names = new Set<string>();
  return parsed.data.groups.map((g, gi) => {
    if (names.has(g.name)) {
      const { line, col } = at(['groups', gi, 'name']);
      throw new ConfigError(file, line, col, `groups.${gi}.name`, `groupname: "${g.name}" is repeated in the same file`);
    }
    names.add(g.name);
    return {
      name: g.name,
      file,
      intervalMs: g.interval ? parseConfigDuration(g.interval)! : defaultIntervalMs,
      rules: g.rules.map((r, ri) => {
        const fail = (field: string, msg: string): never => {
          const { line, col } = at(['groups', gi, 'rules', ri, field]);
          throw new ConfigError(file, line, col, `groups.${gi}.rules.${ri}.${field}`, msg);
        };
        if ((r.record === undefined) === (r.alert === undefined)) fail('expr', 'one of "record" or "alert" must be set');
        try {
          parsePromql(r.expr);
        } catch (err) {
          fail('expr', `could not parse expression: ${(err as Error).message}`);
        }
        if (r.record !== undefined && (r.for !== undefined || Object.keys(r.annotations).length)) fail('record', 'recording rules cannot have "for" or annotations');
        return {
          kind: r.record !== undefined ? 'recording' : 'alerting',
          name: (r.record ?? r.alert)!,
          expr: r.expr,
          forMs: r.for ? parseConfigDuration(r.for)! : 0,
          keepFiringForMs: r.keep_firing_for ? parseConfigDuration(r.keep_firing_for)! : 0,
          labels: r.labels,
          annotations: r.annotations,
        } satisfies LoadedRule;
      }),
    };
  });
}

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

/** Expands rule_files globs and loads every group, in file order. */
export async function loadRuleFiles(patterns: readonly string[], defaultIntervalMs: number): Promise<LoadedGroup[]> {
  const out: LoadedGroup[] = [];
  for (const pattern of patterns) {
    const files = await expandGlob(pattern);
    for (const f of files) {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (err) {
        throw new ConfigError(f, 0, 0, 'rule_files', `cannot read rule file: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
      }
      out.push(...parseRuleFile(text, f, defaultIntervalMs));
    }
  }
  return out;
}
