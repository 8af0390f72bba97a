/**
 * Prometheus rule files: parses YAML (keeping line/column) into groups of recording and alerting
 * rules and validates them the way `promtool check rules` does (names, exprs, durations, fields,
 * label/annotation names, templates).
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { parsePromql } from '../promql/parse.js';
import { createTemplateSet } from '../template/template.js';
import { createPrometheusTemplateFuncs } from '../template/prometheus-funcs.js';
import { parseDuration } from './duration.js';
import { RuleFileError, type RuleFileProblem } from './errors.js';

/** A 1-based position in a rule file. */
export interface RulePosition {
  line: number;
  column: number;
}

/** A recording rule: `record` is the output metric name. */
export interface RecordingRule {
  kind: 'recording';
  record: string;
  expr: string;
  labels: Record<string, string>;
  position: RulePosition;
}

/** An alerting rule. Label and annotation values are templates. */
export interface AlertingRule {
  kind: 'alerting';
  alert: string;
  expr: string;
  /** `for`: how long the condition must hold before firing (ms; 0 = fire at once). */
  forMs: number;
  /** `keep_firing_for`: how long to keep firing after the condition clears (ms). */
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  position: RulePosition;
}

/** A recording or alerting rule. */
export type Rule = RecordingRule | AlertingRule;

/** A rule group: evaluated together, in order, every `intervalMs`. */
export interface RuleGroup {
  name: string;
  /** The file it came from (as given to the parser). */
  file: string;
  /** `interval` in ms, or undefined for the global evaluation interval. */
  intervalMs: number | undefined;
  /** `query_offset` in ms (0 when unset). */
  queryOffsetMs: number;
  /** `limit`: most alerts / series per rule (0 = no limit). */
  limit: number;
  /** Group `labels`, added to every rule's output (rule labels win). */
  labels: Record<string, string>;
  rules: Rule[];
}

/** A parsed, valid rule file. */
export interface RuleFile {
  file: string;
  groups: RuleGroup[];
}

const GROUPS_FIELDS = new Set(['groups']);
const GROUP_FIELDS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'labels']);
const RULE_FIELDS = new Set([
  'record',
  'alert',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
]);
const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

class Checker {
  readonly problems: RuleFileProblem[] = [];
  readonly lc = new LineCounter();
  constructor(readonly file: string) {}

  pos(node: Node | null | undefined): RulePosition {
    if (!node?.range) return { line: 0, column: 0 };
    const p = this.lc.linePos(node.range[0]);
    return { line: p.line, column: p.col };
  }

  add(node: Node | null | undefined | RulePosition, message: string): void {
    const p = node && 'line' in node ? node : this.pos(node as Node | null | undefined);
    this.problems.push({ file: this.file, line: p.line, column: p.column, message });
  }

  scalar(node: unknown, what: string): string | undefined {
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) return node.value === null ? '' : String(node.value);
    this.add(node as Node, `${what}: expected a string`);
    return undefined;
  }

  fields(map: YAMLMap, allowed: Set<string>, type: string): Map<string, Pair<Node, Node>> {
    const out = new Map<string, Pair<Node, Node>>();
    for (const pair of map.items as Pair<Node, Node>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.has(key)) this.add(pair.key, `field ${key} not found in type rulefmt.${type}`);
      else out.set(key, pair);
    }
    return out;
  }

  stringMap(
    node: Node | null | undefined,
    what: string,
  ): { map: Record<string, string>; keys: Map<string, Node> } {
    const map: Record<string, string> = {};
    const keys = new Map<string, Node>();
    if (node === null || node === undefined || (isScalar(node) && node.value === null))
      return { map, keys };
    if (!isMap(node)) {
      this.add(node, `${what}: expected a mapping`);
      return { map, keys };
    }
    for (const pair of node.items as Pair<Node, Node>[]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = this.scalar(pair.value, `${what} ${JSON.stringify(k)}`);
      map[k] = v ?? '';
      keys.set(k, pair.key);
    }
    return { map, keys };
  }
}

const CHECK_FUNCS = createPrometheusTemplateFuncs({ query: () => [] });

function checkTemplate(ruleName: string, text: string): string | null {
  const defs =
    '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';
  try {
    createTemplateSet({ funcs: CHECK_FUNCS }).add(`__alert_${ruleName}`, defs + text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Parses and validates a rule file's text without throwing: returns the groups found and every
 * problem (an empty `problems` means the file is valid, as `promtool check rules` would accept it).
 */
export function checkRuleFile(
  file: string,
  text: string,
): { groups: RuleGroup[]; problems: RuleFileProblem[]; ruleCount: number } {
  const c = new Checker(file);
  const doc = parseDocument(text, { lineCounter: c.lc, schema: 'failsafe', prettyErrors: false });
  for (const e of doc.errors) {
    const p = c.lc.linePos(e.pos[0]);
    c.add({ line: p.line, column: p.col }, `yaml: ${e.message.split('\n')[0]}`);
  }
  const groups: RuleGroup[] = [];
  if (doc.errors.length > 0) return { groups, problems: c.problems, ruleCount: 0 };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === '')))
    return { groups, problems: c.problems, ruleCount: 0 };
  if (!isMap(root)) {
    c.add(root, 'expected a mapping with a "groups" list');
    return { groups, problems: c.problems, ruleCount: 0 };
  }
  const top = c.fields(root, GROUPS_FIELDS, 'RuleGroups');
  const groupsNode = top.get('groups')?.value;
  if (groupsNode && !isSeq(groupsNode) && !(isScalar(groupsNode) && groupsNode.value === '')) {
    c.add(groupsNode, 'groups: expected a list');
    return { groups, problems: c.problems, ruleCount: 0 };
  }
  const seen = new Set<string>();
  let ruleCount = 0;
  for (const gNode of isSeq(groupsNode) ? (groupsNode.items as Node[]) : []) {
    if (!isMap(gNode)) {
      c.add(gNode, 'group: expected a mapping');
      continue;
    }
    const f = c.fields(gNode, GROUP_FIELDS, 'RuleGroup');
    const name = c.scalar(f.get('name')?.value, 'name') ?? '';
    if (name === '') c.add(gNode, 'Groupname must not be empty');
    else if (seen.has(name))
      c.add(gNode, `groupname: ${JSON.stringify(name)} is repeated in the same file`);
    seen.add(name);
    const durationField = (key: string): number | undefined => {
      const n = f.get(key)?.value;
      const s = c.scalar(n, key);
      if (s === undefined || s === '') return undefined;
      const ms = parseDuration(s);
      if (ms === null) c.add(n, `not a valid duration string: ${JSON.stringify(s)}`);
      return ms ?? undefined;
    };
    const intervalMs = durationField('interval');
    const queryOffsetMs = durationField('query_offset') ?? 0;
    let limit = 0;
    const limitNode = f.get('limit')?.value;
    const limitText = c.scalar(limitNode, 'limit');
    if (limitText !== undefined && limitText !== '') {
      if (!/^[+-]?\d+$/.test(limitText))
        c.add(limitNode, `limit: cannot unmarshal ${JSON.stringify(limitText)} into int`);
      else limit = Number(limitText);
    }
    const groupLabels = c.stringMap(f.get('labels')?.value, 'labels');
    for (const [k, kn] of groupLabels.keys)
      if (!LABEL_NAME_RE.test(k) || k === '__name__')
        c.add(kn, `group ${JSON.stringify(name)}: invalid label name: ${k}`);
    const rules: Rule[] = [];
    const rulesNode = f.get('rules')?.value;
    if (rulesNode && !isSeq(rulesNode) && !(isScalar(rulesNode) && rulesNode.value === ''))
      c.add(rulesNode, 'rules: expected a list');
    let i = 0;
    for (const rNode of isSeq(rulesNode) ? (rulesNode.items as Node[]) : []) {
      i++;
      if (!isMap(rNode)) {
        c.add(rNode, `group ${JSON.stringify(name)}, rule ${i}: expected a mapping`);
        continue;
      }
      const rf = c.fields(rNode, RULE_FIELDS, 'RuleNode');
      const recordNode = rf.get('record')?.value;
      const alertNode = rf.get('alert')?.value;
      const exprNode = rf.get('expr')?.value;
      const record = c.scalar(recordNode, 'record') ?? '';
      const alert = c.scalar(alertNode, 'alert') ?? '';
      const expr = c.scalar(exprNode, 'expr') ?? '';
      const ruleName = alert !== '' ? alert : record;
      const mainNode = record !== '' ? recordNode : alertNode;
      const prefix = `group ${JSON.stringify(name)}, rule ${i}, ${JSON.stringify(ruleName)}: `;
      const before = c.problems.length;
      if (record !== '' && alert !== '')
        c.add(recordNode, prefix + "only one of 'record' and 'alert' must be set");
      if (record === '' && alert === '')
        c.add(rNode, prefix + "one of 'record' or 'alert' must be set");
      if (expr.trim() === '') c.add(exprNode ?? rNode, prefix + "field 'expr' must be set in rule");
      else {
        try {
          parsePromql(expr);
        } catch (e) {
          c.add(exprNode, prefix + `could not parse expression: ${(e as Error).message}`);
        }
      }
      const forMs = (key: string): number => {
        const n = rf.get(key)?.value;
        const s = c.scalar(n, key);
        if (s === undefined || s === '') return 0;
        const ms = parseDuration(s);
        if (ms === null) c.add(n, prefix + `not a valid duration string: ${JSON.stringify(s)}`);
        return ms ?? 0;
      };
      const forValue = forMs('for');
      const keepFiring = forMs('keep_firing_for');
      const labels = c.stringMap(rf.get('labels')?.value, prefix + 'labels');
      const annotations = c.stringMap(rf.get('annotations')?.value, prefix + 'annotations');
      if (record !== '') {
        if (annotations.keys.size > 0)
          c.add(recordNode, prefix + "invalid field 'annotations' in recording rule");
        if (forValue !== 0) c.add(recordNode, prefix + "invalid field 'for' in recording rule");
        if (keepFiring !== 0)
          c.add(recordNode, prefix + "invalid field 'keep_firing_for' in recording rule");
        if (!METRIC_NAME_RE.test(record))
          c.add(recordNode, prefix + `invalid recording rule name: ${record}`);
      }
      for (const [k, kn] of [...labels.keys].sort()) {
        if (!LABEL_NAME_RE.test(k) || k === '__name__')
          c.add(kn, prefix + `invalid label name: ${k}`);
      }
      for (const [k, kn] of [...annotations.keys].sort()) {
        if (!LABEL_NAME_RE.test(k)) c.add(kn, prefix + `invalid annotation name: ${k}`);
      }
      if (alert !== '') {
        for (const [k, v] of Object.entries(labels.map).sort()) {
          const err = checkTemplate(alert, v);
          if (err) c.add(labels.keys.get(k), prefix + `label ${JSON.stringify(k)}: ${err}`);
        }
        for (const [k, v] of Object.entries(annotations.map).sort()) {
          const err = checkTemplate(alert, v);
          if (err)
            c.add(annotations.keys.get(k), prefix + `annotation ${JSON.stringify(k)}: ${err}`);
        }
      }
      ruleCount++;
      if (c.problems.length > before) continue;
      const position = c.pos(mainNode);
      if (record !== '')
        rules.push({ kind: 'recording', record, expr, labels: labels.map, position });
      else
        rules.push({
          kind: 'alerting',
          alert,
          expr,
          forMs: forValue,
          keepFiringForMs: keepFiring,
          labels: labels.map,
          annotations: annotations.map,
          position,
        });
    }
    groups.push({ name, file, intervalMs, queryOffsetMs, limit, labels: groupLabels.map, rules });
  }
  return { groups, problems: c.problems, ruleCount };
}

/**
 * Parses a rule file's text (`file` names it in errors). Returns its groups, or throws
 * `RuleFileError` (code `VIGIL_ERR_RULE_INVALID`) listing every problem as `file:line:column: message`.
 */
export function parseRuleFile(file: string, text: string): RuleFile {
  const r = checkRuleFile(file, text);
  if (r.problems.length > 0) throw new RuleFileError(r.problems);
  return { file, groups: r.groups };
}
