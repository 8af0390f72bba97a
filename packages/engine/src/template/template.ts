/**
 * Public face of the Go text/template engine: a template set that parses once and executes many
 * times with a data value and a function map.
 */
import { BUILTIN_NAMES, parseTrees, TemplateSyntaxError } from './parse.js';
import type { Tree } from './ast.js';
import { ExecFailure, execTree, type MissingKeyMode } from './exec.js';
import type { TemplateFunc } from './builtins.js';
import { TemplateExecError, TemplateParseError } from './errors.js';

/** Options of a template set: extra functions (override builtins of the same name) and `missingkey`. */
export interface TemplateOptions {
  /** Functions callable by name from the template, e.g. `{ toUpper: (s) => s.toUpperCase() }`. */
  funcs?: Record<string, TemplateFunc>;
  /** Go's `missingkey` option: `default`/`invalid` print `<no value>`, `zero` gives the zero value, `error` fails. */
  missingKey?: MissingKeyMode;
}

/**
 * A set of named Go templates sharing one function map: `add` parses text (its `{{define}}`s join
 * the set), `execute` runs one by name. Parsing and execution errors throw `TemplateParseError` /
 * `TemplateExecError` whose message is Go's text.
 */
export interface TemplateSet {
  /** Parses `text` as template `name` and adds it and its definitions to the set. */
  add(name: string, text: string): void;
  /** Executes template `name` with `data` as dot and `$`; returns the output. */
  execute(name: string, data: unknown): string;
  /** Whether a template of that name is defined. */
  has(name: string): boolean;
  /** Names of all defined templates, sorted. */
  names(): string[];
  /** A copy of the set (same functions) to which more templates can be added independently. */
  clone(): TemplateSet;
}

/** A parsed template: a set whose main template is `name`. */
export interface Template extends TemplateSet {
  readonly name: string;
  /** Executes the main template (or `templateName`) with `data`. */
  run(data: unknown, templateName?: string): string;
}

function makeSet(options: TemplateOptions, trees: Map<string, Tree>): TemplateSet {
  const funcs = { ...(options.funcs ?? {}) };
  const missingKey = options.missingKey ?? 'default';
  const isFunc = (n: string): boolean =>
    Object.prototype.hasOwnProperty.call(funcs, n) || BUILTIN_NAMES.has(n);
  const set: TemplateSet = {
    add(name, text) {
      let parsed: Map<string, Tree>;
      try {
        parsed = parseTrees(name, text, isFunc);
      } catch (e) {
        if (e instanceof TemplateSyntaxError) throw new TemplateParseError(e.message);
        throw e;
      }
      for (const [n, t] of parsed) {
        const empty = t.root.every((x) => x.type === 'text' && x.text.trim() === '');
        if (trees.has(n) && empty) continue;
        trees.set(n, t);
      }
    },
    execute(name, data) {
      const tree = trees.get(name);
      if (!tree)
        throw new TemplateExecError(
          `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(name)}`,
        );
      try {
        return execTree({ trees, funcs, missingKey }, tree, data);
      } catch (e) {
        if (e instanceof ExecFailure) throw new TemplateExecError(e.message);
        throw e;
      }
    },
    has: (name) => trees.has(name),
    names: () => [...trees.keys()].sort(),
    clone: () => makeSet(options, new Map(trees)),
  };
  return set;
}

/** Creates an empty template set with the given functions; add templates with `add(name, text)`. */
export function createTemplateSet(options: TemplateOptions = {}): TemplateSet {
  return makeSet(options, new Map());
}

/**
 * Parses `text` as a Go text/template named `name` (once); execute it with `executeTemplate` or
 * `.run(data)`. Throws `TemplateParseError` (message `template: NAME:LINE: ...`) on bad syntax.
 */
export function parseTemplate(name: string, text: string, options: TemplateOptions = {}): Template {
  const set = createTemplateSet(options);
  set.add(name, text);
  return { ...set, name, run: (data, templateName) => set.execute(templateName ?? name, data) };
}

/**
 * Executes a parsed template with `data` (dot and `$`); returns the output text. Throws
 * `TemplateExecError` with Go's message (`template: NAME:LINE:COL: executing ...`).
 */
export function executeTemplate(template: Template, data: unknown, templateName?: string): string {
  return template.run(data, templateName);
}
