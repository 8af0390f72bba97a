/**
 * Runs `promtool test rules` unit-test files (read unchanged) against the rule evaluator and PromQL
 * engine, and reports exactly as promtool does. Pure: files come through a `RulesTestFs`.
 */
import { posix } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { Labels } from '../model/labels.js';
import { parsePromql } from '../promql/parse.js';
import { createPromqlEngine, type PromqlEngine } from '../promql/engine.js';
import { createSeriesStore } from '../storage/index.js';
import { checkRuleFile, type RuleGroup } from '../rules/rule-file.js';
import { formatRuleProblem } from '../rules/errors.js';
import { parseDuration, formatDuration } from '../rules/duration.js';
import { createRuleGroupEvaluator, type RuleGroupEvaluator } from '../rules/group-evaluator.js';
import { expandSeriesValues } from './series-values.js';
import {
  alertsString,
  formatFloatE,
  indentLines,
  labelsString,
  sortAlertsForCompare,
  type LabelsAndAnnotations,
} from './go-print.js';
import { compareLabels, labelsKey } from '../model/labels.js';

/** How the runner reads files: `readFile` throws when missing; `glob` expands a path pattern. */
export interface RulesTestFs {
  readFile(path: string): string;
  /** Paths matching a glob pattern (`*`, `?`, `[...]`); without it patterns are taken literally. */
  glob?(pattern: string): string[];
}

/** Options of `runRulesTestFile`. */
export interface RulesTestOptions {
  /** Engine to evaluate with (default: a new one). */
  engine?: PromqlEngine;
  /** Only run test groups whose `name` matches (promtool's `--run`). */
  run?: RegExp;
}

/** Outcome of one test file. `errors` are promtool's failure texts; empty when it passed. */
export interface RulesTestReport {
  file: string;
  passed: boolean;
  errors: string[];
  /** Warnings printed to stderr (e.g. a rule_files pattern that matched nothing). */
  warnings: string[];
}

const FILE_FIELDS = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests'];
const GROUP_FIELDS = [
  'interval',
  'input_series',
  'alert_rule_test',
  'promql_expr_test',
  'external_labels',
  'external_url',
  'name',
  'start_timestamp',
  'fuzzy_compare',
];
const SERIES_FIELDS = ['series', 'values'];
const ALERT_TEST_FIELDS = ['eval_time', 'alertname', 'exp_alerts'];
const ALERT_FIELDS = ['exp_labels', 'exp_annotations'];
const PROMQL_FIELDS = ['expr', 'eval_time', 'exp_samples'];
const SAMPLE_FIELDS = ['labels', 'value'];

class StrictError extends Error {}

/** Checks unknown fields like Go's yaml.UnmarshalStrict, collecting `line N: field X not found in type T`. */
function strictFields(node: Node | null | undefined, lc: LineCounter, out: string[]): void {
  const check = (n: unknown, allowed: string[], type: string): void => {
    if (!isMap(n)) return;
    for (const p of n.items as Pair<Node, Node>[]) {
      const key = String((p.key as { value?: unknown }).value);
      if (!allowed.includes(key))
        out.push(
          `  line ${lc.linePos(p.key.range![0]).line}: field ${key} not found in type main.${type}`,
        );
    }
  };
  const items = (n: unknown): Node[] => (isSeq(n) ? (n.items as Node[]) : []);
  const get = (n: unknown, k: string): unknown => (isMap(n) ? n.get(k, true) : undefined);
  check(node, FILE_FIELDS, 'unitTestFile');
  for (const g of items(get(node, 'tests'))) {
    check(g, GROUP_FIELDS, 'testGroup');
    for (const s of items(get(g, 'input_series'))) check(s, SERIES_FIELDS, 'series');
    for (const a of items(get(g, 'alert_rule_test'))) {
      check(a, ALERT_TEST_FIELDS, 'alertTestCase');
      for (const e of items(get(a, 'exp_alerts'))) check(e, ALERT_FIELDS, 'alert');
    }
    for (const p of items(get(g, 'promql_expr_test'))) {
      check(p, PROMQL_FIELDS, 'promqlTestCase');
      for (const e of items(get(p, 'exp_samples'))) check(e, SAMPLE_FIELDS, 'sample');
    }
  }
}

interface TestGroup {
  interval?: string;
  input_series?: { series: string; values: string | number }[];
  alert_rule_test?: {
    eval_time?: string;
    alertname?: string;
    exp_alerts?: {
      exp_labels?: Record<string, unknown>;
      exp_annotations?: Record<string, unknown>;
    }[];
  }[];
  promql_expr_test?: {
    expr: string;
    eval_time?: string;
    exp_samples?: { labels?: string; value: number | string }[];
  }[];
  external_labels?: Record<string, unknown>;
  external_url?: string;
  name?: string;
  start_timestamp?: string | number;
}

interface UnitTestFile {
  rule_files?: string[];
  evaluation_interval?: string;
  group_eval_order?: string[];
  tests?: TestGroup[];
}

function duration(v: unknown, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const ms = parseDuration(String(v));
  if (ms === null)
    throw new StrictError(
      `not a valid duration string: ${JSON.stringify(String(v))}` + (what ? '' : ''),
    );
  return ms;
}

/** Parses a series / metric string like `up{job="x"}` or `{__name__="up"}` into labels. */
export function parseMetricLabels(text: string): Labels {
  if (/^\s*\{\s*\}\s*$/.test(text)) return {};
  const e = parsePromql(text);
  if (e.kind !== 'vectorSelector' || e.offsetMs !== 0) throw new Error(`not a metric: ${text}`);
  const out: Record<string, string> = {};
  for (const m of e.matchers) {
    if (m.type !== '=') throw new Error(`not a metric: ${text}`);
    if (m.value !== '') out[m.name] = m.value;
  }
  return out;
}

function strMap(v: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v ?? {}))
    out[k] = x === null || x === undefined ? '' : String(x);
  return out;
}

function sameFloat(a: number, b: number): boolean {
  return a === b; // Go's reflect.DeepEqual on float64: NaN never equals
}

function runGroup(
  tg: TestGroup,
  evalInterval: number,
  groups: RuleGroup[],
  engine: PromqlEngine,
): string[] {
  const errs: string[] = [];
  const store = createSeriesStore();
  const interval = tg.interval !== undefined ? duration(tg.interval, 'interval') : evalInterval;
  const mint = tg.start_timestamp !== undefined ? parseStart(tg.start_timestamp) : 0;
  for (const s of tg.input_series ?? []) {
    const labels = parseMetricLabels(String(s.series));
    const values = expandSeriesValues(String(s.values ?? ''));
    values.forEach((v, i) => {
      if (v !== null) store.append(labels, mint + i * interval, v);
    });
  }
  const externalLabels = strMap(tg.external_labels);
  const evaluators: RuleGroupEvaluator[] = groups.map((g) =>
    createRuleGroupEvaluator(g, {
      engine,
      externalLabels,
      ...(tg.external_url ? { externalURL: tg.external_url } : {}),
    }),
  );
  const alertTests = (tg.alert_rule_test ?? []).map((a) => ({
    ...a,
    evalMs: duration(a.eval_time, 'eval_time'),
  }));
  const promqlTests = (tg.promql_expr_test ?? []).map((p) => ({
    ...p,
    evalMs: duration(p.eval_time, 'eval_time'),
  }));
  let maxEval = 0;
  for (const t of [...alertTests, ...promqlTests]) maxEval = Math.max(maxEval, t.evalMs);
  const evalTimes = [...new Set(alertTests.map((a) => a.evalMs))].sort((a, b) => a - b);
  let curr = 0;
  const testName = tg.name ? `    name: ${tg.name},\n` : '';
  for (let ts = 0; ts <= maxEval; ts += evalInterval) {
    const evalErrs: string[] = [];
    for (const ev of evaluators) {
      const res = ev.evaluate(store, mint + ts, store);
      for (const r of res.ruleResults) {
        if (r.health === 'err')
          evalErrs.push(`    rule: ${r.name}, time: ${formatDuration(ts)}, err: ${r.lastError}`);
      }
    }
    if (evalErrs.length > 0) return [...errs, ...evalErrs];
    while (
      curr < evalTimes.length &&
      ts <= evalTimes[curr]! &&
      evalTimes[curr]! < ts + evalInterval
    ) {
      const t = evalTimes[curr]!;
      const got = new Map<string, LabelsAndAnnotations[]>();
      for (const ev of evaluators) {
        for (const a of ev.alerts()) {
          if (a.state !== 'firing') continue;
          const list = got.get(a.rule) ?? [];
          list.push({ labels: a.labels, annotations: a.annotations });
          got.set(a.rule, list);
        }
      }
      for (const tc of alertTests.filter((x) => x.evalMs === t)) {
        const alertname = tc.alertname ?? '';
        const gotAlerts = sortAlertsForCompare([...(got.get(alertname) ?? [])]);
        const exp = sortAlertsForCompare(
          (tc.exp_alerts ?? []).map((e) => ({
            labels: { ...strMap(e.exp_labels), alertname },
            annotations: strMap(e.exp_annotations),
          })),
        );
        const equal =
          exp.length === gotAlerts.length &&
          exp.every(
            (e, i) =>
              compareLabels(e.labels, gotAlerts[i]!.labels) === 0 &&
              labelsKey(e.labels) === labelsKey(gotAlerts[i]!.labels) &&
              sameMap(e.annotations, gotAlerts[i]!.annotations),
          );
        if (!equal) {
          const expString = indentLines(alertsString(exp), '            ');
          const gotString = indentLines(alertsString(gotAlerts), '            ');
          errs.push(
            `${testName}    alertname: ${alertname}, time: ${formatDuration(t)}, \n        exp:${expString}, \n        got:${gotString}`,
          );
        }
      }
      curr++;
    }
  }
  outer: for (const tc of promqlTests) {
    const at = formatDuration(tc.evalMs);
    let got: { labels: Labels; value: number }[];
    try {
      const v = engine.instantQuery(store, String(tc.expr), mint + tc.evalMs);
      if (v.type === 'vector') got = v.samples.map((s) => ({ labels: s.labels, value: s.value }));
      else if (v.type === 'scalar') got = [{ labels: {}, value: v.value }];
      else throw new Error('rule result is not a vector or scalar');
    } catch (e) {
      errs.push(
        `    expr: ${goQuoteStr(String(tc.expr))}, time: ${at}, err: ${(e as Error).message}`,
      );
      continue;
    }
    const exp: { labels: Labels; value: number }[] = [];
    for (const s of tc.exp_samples ?? []) {
      try {
        exp.push({ labels: parseMetricLabels(s.labels ?? '{}'), value: Number(s.value) });
      } catch (e) {
        errs.push(
          `    expr: ${goQuoteStr(String(tc.expr))}, time: ${at}, err: labels ${goQuoteStr(s.labels ?? '')}: ${(e as Error).message}`,
        );
        continue outer;
      }
    }
    const sortS = (l: { labels: Labels }[]): void =>
      void l.sort((a, b) => compareLabels(a.labels, b.labels));
    sortS(exp);
    sortS(got);
    const equal =
      exp.length === got.length &&
      exp.every((e, i) => sameMap(e.labels, got[i]!.labels) && sameFloat(e.value, got[i]!.value));
    if (!equal) {
      const str = (l: { labels: Labels; value: number }[]): string =>
        l.length === 0
          ? 'nil'
          : l.map((s) => `${labelsString(s.labels)} ${formatFloatE(s.value)}`).join(', ');
      errs.push(
        `    expr: ${goQuoteStr(String(tc.expr))}, time: ${at},\n        exp: ${str(exp)}\n        got: ${str(got)}`,
      );
    }
  }
  return errs;
}

function goQuoteStr(s: string): string {
  return JSON.stringify(s);
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== '');
  const kb = Object.keys(b).filter((k) => b[k] !== '');
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

function parseStart(v: string | number): number {
  if (typeof v === 'number' || /^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new StrictError(`cannot parse start_timestamp ${JSON.stringify(v)}`);
  return ms;
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const c of pattern)
    re += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : /[.+^${}()|\\]/.test(c) ? '\\' + c : c;
  return new RegExp('^' + re + '$');
}

/** Whether a path contains glob metacharacters. */
export function hasGlobMeta(p: string): boolean {
  return /[*?[]/.test(p);
}
export { globToRegExp };

/**
 * Runs one `promtool test rules` file. `path` is the test file's path (rule_files resolve against
 * its directory). Never throws for bad input: problems become `errors`, as promtool prints them.
 */
export function runRulesTestFile(
  path: string,
  fs: RulesTestFs,
  options: RulesTestOptions = {},
): RulesTestReport {
  const report: RulesTestReport = { file: path, passed: false, errors: [], warnings: [] };
  let text: string;
  try {
    text = fs.readFile(path);
  } catch (e) {
    report.errors.push(
      `open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
    return report;
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    report.errors.push(`yaml: line ${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
    return report;
  }
  const strict: string[] = [];
  strictFields(doc.contents as Node | null, lc, strict);
  if (strict.length > 0) {
    report.errors.push('yaml: unmarshal errors:\n' + strict.join('\n'));
    return report;
  }
  const utf = (doc.toJS() ?? {}) as UnitTestFile;
  try {
    const base = posix.dirname(path);
    const ruleFiles: string[] = [];
    for (const rf0 of utf.rule_files ?? []) {
      const rf = rf0 !== '' && !posix.isAbsolute(rf0) ? posix.join(base, rf0) : rf0;
      const matches = hasGlobMeta(rf) && fs.glob ? fs.glob(rf) : hasGlobMeta(rf) ? [] : [rf];
      if (matches.length === 0) report.warnings.push(`  WARNING: no file match pattern ${rf}`);
      ruleFiles.push(...matches);
    }
    const evalInterval =
      utf.evaluation_interval !== undefined
        ? duration(utf.evaluation_interval, 'evaluation_interval')
        : 60_000;
    const order = new Map<string, number>();
    for (const [i, gn] of (utf.group_eval_order ?? []).entries()) {
      if (order.has(gn)) {
        report.errors.push(`group name repeated in evaluation order: ${gn}`);
        return report;
      }
      order.set(gn, i);
    }
    // load rule files
    const groups: RuleGroup[] = [];
    const loadErrs: string[] = [];
    for (const f of ruleFiles) {
      let src: string;
      try {
        src = fs.readFile(f);
      } catch {
        loadErrs.push(`${f}: open ${f}: no such file or directory`);
        continue;
      }
      const r = checkRuleFile(f, src);
      if (r.problems.length > 0) loadErrs.push(...r.problems.map(formatRuleProblem));
      else groups.push(...r.groups);
    }
    if (loadErrs.length > 0) {
      report.errors.push(...loadErrs);
      return report;
    }
    if (order.size > 0) {
      for (const g of groups) {
        if (!order.has(g.name)) {
          report.errors.push(`group ${JSON.stringify(g.name)} is not in group_eval_order`);
          return report;
        }
      }
      groups.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
    }
    const engine = options.engine ?? createPromqlEngine();
    for (const tg of utf.tests ?? []) {
      if (tg.name && options.run && !options.run.test(tg.name)) continue;
      try {
        report.errors.push(...runGroup(tg, evalInterval, groups, engine));
      } catch (e) {
        report.errors.push((e as Error).message);
      }
    }
  } catch (e) {
    report.errors.push((e as Error).message);
    return report;
  }
  report.passed = report.errors.length === 0;
  return report;
}

/**
 * Renders a report as promtool prints it: stdout gets `Unit Testing:  FILE` then `  SUCCESS` (or
 * blank lines), stderr gets `  FAILED:` and each error.
 */
export function formatRulesTestReport(report: RulesTestReport): { stdout: string; stderr: string } {
  let stdout = `Unit Testing:  ${report.file}\n`;
  let stderr = report.warnings.map((w) => w + '\n').join('');
  if (report.passed) stdout += '  SUCCESS\n';
  else {
    stderr += '  FAILED:\n';
    for (const e of report.errors) {
      stderr += e + '\n';
      stdout += '\n';
    }
  }
  stdout += '\n';
  return { stdout, stderr };
}
