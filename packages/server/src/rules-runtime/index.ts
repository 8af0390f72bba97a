export { createRuleRuntime } from './runtime.js';
export type { RuleRuntime, RuleRuntimeOptions } from './runtime.js';
export { parseRuleFile, loadRuleFiles, expandGlob } from './rule-files.js';
export type { LoadedGroup, LoadedRule } from './rule-files.js';
export { expandAlertTemplate } from './template.js';
export { createEngineRuleRuntime, loadEngineRuleFiles } from './engine-runtime.js';
export type { EngineGroup, EngineRuleRuntimeOptions } from './engine-runtime.js';
