/**
 * Expands rule annotation and label templates the way Prometheus's alerting rules do: the text is
 * prefixed with the `$labels`, `$externalLabels`, `$externalURL` and `$value` definitions, parsed as
 * template `__alert_<name>`, and any failure becomes `<error expanding template: ...>` text.
 */
import { createPrometheusTemplateFuncs, type TemplateSample } from './prometheus-funcs.js';
import { createTemplateSet } from './template.js';
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
  if (!text.includes('{{')) return text;
  const name = `__alert_${alertName}`;
  const funcs = {
    ...createPrometheusTemplateFuncs({
      externalURL: data.externalURL ?? '',
      ...(options.query ? { query: options.query } : {}),
    }),
    ...(options.funcs ?? {}),
  };
  const set = createTemplateSet({ funcs, missingKey: 'zero' });
  try {
    set.add(name, DEFS + text);
  } catch (e) {
    return `<error expanding template: error parsing template ${name}: ${(e as Error).message}>`;
  }
  try {
    return set.execute(name, {
      Labels: data.labels,
      ExternalLabels: data.externalLabels ?? {},
      ExternalURL: data.externalURL ?? '',
      Value: data.value,
    });
  } catch (e) {
    return `<error expanding template: error executing template ${name}: ${(e as Error).message}>`;
  }
}
