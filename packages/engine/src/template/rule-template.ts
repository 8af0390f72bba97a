/**
 * Expands rule annotation and label templates the way Prometheus's alerting rules do: the text is
 * prefixed with the `$labels`, `$externalLabels`, `$externalURL` and `$value` definitions, parsed as
 * template `__alert_<name>`, and any failure becomes `<error expanding template: ...>` text.
 */
import { createPrometheusTemplateFuncs, type TemplateSample } from './prometheus-funcs.js';
import { createTemplateSet, type TemplateSet } from './template.js';
import type { TemplateFunc } from './builtins.js';

/** What one alert's templates see. */
export interface RuleTemplateData {
  /** The alert's labels (`$labels`, `.Labels`). */
  labels: Record<string, string>;
  /** `$externalLabels`. */
  externalLabels?: Record<string, string>;
  /** `$externalURL`. */
  externalURL?: string;
  /** The sample value (`$value`, `.Value`). */
  value: number;
}

/** Options of `expandRuleTemplate`. */
export interface RuleTemplateOptions {
  /** Runs an instant query at the evaluation time; enables the `query` function. */
  query?: (expr: string) => TemplateSample[];
  /** Extra functions, added to Prometheus's. */
  funcs?: Record<string, TemplateFunc>;
}

const DEFS =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** Expands rule templates, parsing each distinct template text once (see `createRuleTemplateExpander`). */
export interface RuleTemplateExpander {
  /** Like `expandRuleTemplate`; `query` enables the `query` function for this expansion. */
  expand(
    alertName: string,
    text: string,
    data: RuleTemplateData,
    query?: (expr: string) => TemplateSample[],
  ): string;
}

/**
 * Creates a rule template expander that caches parsed templates (up to `maxCached` distinct
 * texts, default 10,000), for evaluators that expand the same annotations at every evaluation.
 */
export function createRuleTemplateExpander(
  options: { funcs?: Record<string, TemplateFunc>; maxCached?: number } = {},
): RuleTemplateExpander {
  const maxCached = options.maxCached ?? 10_000;
  interface Entry {
    set: TemplateSet | null;
    parseError: string;
    ctx: { query: ((expr: string) => TemplateSample[]) | undefined };
  }
  const cache = new Map<string, Entry>();
  const build = (name: string, text: string, externalURL: string, withQuery: boolean): Entry => {
    const ctx: Entry['ctx'] = { query: undefined };
    const funcs = {
      ...createPrometheusTemplateFuncs({
        externalURL,
        ...(withQuery ? { query: (e: string) => (ctx.query ? ctx.query(e) : []) } : {}),
      }),
      ...(options.funcs ?? {}),
    };
    const set = createTemplateSet({ funcs, missingKey: 'zero' });
    try {
      set.add(name, DEFS + text);
      return { set, parseError: '', ctx };
    } catch (e) {
      return { set: null, parseError: (e as Error).message, ctx };
    }
  };
  return {
    expand(alertName, text, data, query) {
      if (!text.includes('{{')) return text;
      const name = `__alert_${alertName}`;
      const externalURL = data.externalURL ?? '';
      const key = `${name}\u0000${externalURL}\u0000${query ? 1 : 0}\u0000${text}`;
      let entry = cache.get(key);
      if (!entry) {
        if (cache.size >= maxCached) cache.clear();
        entry = build(name, text, externalURL, query !== undefined);
        cache.set(key, entry);
      }
      if (!entry.set)
        return `<error expanding template: error parsing template ${name}: ${entry.parseError}>`;
      entry.ctx.query = query;
      try {
        return entry.set.execute(name, {
          Labels: data.labels,
          ExternalLabels: data.externalLabels ?? {},
          ExternalURL: externalURL,
          Value: data.value,
        });
      } catch (e) {
        return `<error expanding template: error executing template ${name}: ${(e as Error).message}>`;
      } finally {
        entry.ctx.query = undefined;
      }
    },
  };
}

/**
 * Expands one annotation or label value template for alert `alertName`. Never throws: a template
 * error renders as Prometheus does, `<error expanding template: error parsing|executing template
 * __alert_NAME: template: ...>`.
 */
export function expandRuleTemplate(
  alertName: string,
  text: string,
  data: RuleTemplateData,
  options: RuleTemplateOptions = {},
): string {
  const expander = createRuleTemplateExpander(
    options.funcs ? { funcs: options.funcs, maxCached: 1 } : { maxCached: 1 },
  );
  return expander.expand(alertName, text, data, options.query);
}
