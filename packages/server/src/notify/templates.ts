import { compileGoRegexp, createTemplateSet, goReplaceAll, type TemplateFunc, type TemplateSet } from '@vigil/engine';
import type { NotificationData } from './contract.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import type { NotificationTemplates } from './integration-deps.js';
import { escapeHtml, templateData } from './template-data.js';
import type { TemplateFile } from './template-files.js';

function goTitle(s: string): string {
  // Go's strings.Title: upper-case the first letter of each word.
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  throw new Error(`expected a list of strings, got ${typeof v}`);
}

/** Alertmanager's template functions (on top of Go text/template's builtins such as `len`, `eq`, `urlquery`). */
export function alertmanagerTemplateFuncs(): Record<string, TemplateFunc> {
  return {
    toUpper: (s: unknown) => String(s).toUpperCase(),
    toLower: (s: unknown) => String(s).toLowerCase(),
    title: (s: unknown) => goTitle(String(s)),
    trimSpace: (s: unknown) => String(s).trim(),
    join: (sep: unknown, list: unknown) => toList(list).join(String(sep)),
    match: (re: unknown, s: unknown) => compileGoRegexp(String(re)).test(String(s)),
    reReplaceAll: (re: unknown, repl: unknown, text: unknown) => goReplaceAll(compileGoRegexp(String(re)), String(text), String(repl)),
    safeHtml: (s: unknown) => String(s),
    stringSlice: (...s: unknown[]) => s.map(String),
  } as Record<string, TemplateFunc>;
}

/**
 * Creates the notification template renderer on @vigil/engine's Go template engine: Alertmanager's
 * functions, Vigil's built-in named templates (`__subject`, `slack.default.title`,
 * `email.default.html`, …) and then the user's `templates:` files, whose `{{ define }}`s may
 * override the built-ins. Each distinct template string is parsed once and cached. `html` renders
 * with every alert-derived value HTML-escaped (for email bodies).
 */
export function createNotificationTemplates(options: { files?: readonly TemplateFile[] } = {}): NotificationTemplates {
  const set: TemplateSet = createTemplateSet({ funcs: alertmanagerTemplateFuncs() });
  set.add('__vigil_defaults', DEFAULT_TEMPLATES);
  for (const f of options.files ?? []) set.add(f.name, f.text);
  const names = new Map<string, string>();
  const run = (text: string, data: unknown): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `__inline_${names.size}`;
      set.add(name, text);
      names.set(text, name);
    }
    return set.execute(name, data);
  };
  return {
    text: (t: string, d: NotificationData) => run(t, templateData(d)),
    html: (t: string, d: NotificationData) => run(t, templateData(d, escapeHtml)),
  };
}
