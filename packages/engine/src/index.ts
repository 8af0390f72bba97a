/**
 * Public entry of @vigil/engine: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';

// model: the shared data contracts between storage, PromQL and rules
export type { Labels } from './model/labels.js';
export { METRIC_NAME, labelsKey, withoutLabels, onlyLabels, compareLabels } from './model/labels.js';
export type { LabelMatcher, MatchType } from './model/matchers.js';
export { matchValue, matchLabels, compileMatcherRegex } from './model/matchers.js';
export { STALE_NAN, isStaleNaN } from './model/samples.js';
export type { Queryable, Appendable, SeriesSamples } from './model/queryable.js';
export type { VectorSample, Point, MatrixSeries, QueryValue } from './model/values.js';

// exposition: (parser) exports go here
export { createExpositionParser, parseExposition, detectExpositionFormat, ExpositionParseError } from './exposition/index.js';
export type { ExpositionParser, ExpositionHandlers, ParsedExposition, ExpositionFormat, MetricType, Exemplar, ParsedSample, MetricMetadata, ExpositionLimits, ExpositionParserOptions } from './exposition/index.js';

// storage: (series store) exports go here
export { createSeriesStore, vanishedSeries, encodeWalRecord, decodeWalRecords, createWalSampleBatch, StorageError, createScrapeAppender } from './storage/index.js';
export type { SeriesStore, SeriesStoreOptions, SeriesStoreStats, WalRecord, WalSample, WalSampleBatch, DecodedWal, ScrapeAppender, ScrapeAppenderOptions, ScrapeSampleLike } from './storage/index.js';

// promql: (parser, evaluator) exports go here
export { parsePromql, parsePromDuration } from './promql/parse.js';
export { createPromqlEngine } from './promql/engine.js';
export type { PromqlEngine, PromqlEngineOptions } from './promql/engine.js';
export { PromqlParseError, PromqlEvalError } from './promql/errors.js';
export { walkPromql, promqlSelectors, promqlExprType } from './promql/ast.js';
export type {
  PromqlExpr,
  PromqlValueType,
  PromqlAt,
  NumberLiteral,
  StringLiteral,
  VectorSelector,
  MatrixSelector,
  SubqueryExpr,
  CallExpr,
  AggregateExpr,
  BinaryExpr,
  UnaryExpr,
  ParenExpr,
  VectorMatching,
} from './promql/ast.js';

// rules: (rule files, evaluation, templates, promtool-format tests) exports go here
export { parseTemplate, executeTemplate, createTemplateSet } from './template/template.js';
export type { Template, TemplateSet, TemplateOptions } from './template/template.js';
export type { TemplateFunc } from './template/builtins.js';
export type { MissingKeyMode } from './template/exec.js';
export { TemplateArgTypeError } from './template/exec.js';
export { TemplateParseError, TemplateExecError } from './template/errors.js';
export { htmlEscape, jsEscape, queryEscape, isTrue as templateTruth } from './template/builtins.js';
export { sprintf as goSprintf, formatValue as goFormatValue } from './template/go-format.js';
export { compileGoRegexp, goReplaceAll } from './template/go-regexp.js';
export {
  createPrometheusTemplateFuncs,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
} from './template/prometheus-funcs.js';
export type { PrometheusFuncsOptions, TemplateSample } from './template/prometheus-funcs.js';
export { expandRuleTemplate, createRuleTemplateExpander } from './template/rule-template.js';
export type { RuleTemplateData, RuleTemplateOptions, RuleTemplateExpander } from './template/rule-template.js';
export { parseRuleFile, checkRuleFile } from './rules/rule-file.js';
export type { RuleFile, RuleGroup, Rule, RecordingRule, AlertingRule, RulePosition } from './rules/rule-file.js';
export { RuleFileError, RuleEvalError, formatRuleProblem } from './rules/errors.js';
export type { RuleFileProblem } from './rules/errors.js';
export { parseDuration as parseRuleDuration, formatDuration as formatRuleDuration } from './rules/duration.js';
export { createRuleGroupEvaluator } from './rules/group-evaluator.js';
export type {
  RuleGroupEvaluator,
  RuleGroupEvaluatorOptions,
  GroupEvaluation,
  RuleResult,
  RuleSample,
  Alert,
  AlertState,
  AlertToSend,
} from './rules/group-evaluator.js';
export { runRulesTestFile, formatRulesTestReport, globToRegExp, hasGlobMeta } from './rules-test/runner.js';
export type { RulesTestFs, RulesTestOptions, RulesTestReport } from './rules-test/runner.js';
export { expandSeriesValues } from './rules-test/series-values.js';
