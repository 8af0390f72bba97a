export { createRuleRuntime, loadRuleFiles } from './engine-runtime.js';
export type { RuleRuntime, RuleRuntimeOptions, EngineGroup } from './engine-runtime.js';
