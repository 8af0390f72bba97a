export { createPrometheusApiPlugin, formatQueryValue } from './prometheus-api.js';
export type { PrometheusApiOptions } from './prometheus-api.js';
export { parseApiTime, parseApiDuration, formatValue, BadDataError } from './params.js';
export type { ApiAlert, ApiRule, ApiRuleGroup, RulesView } from './types.js';
