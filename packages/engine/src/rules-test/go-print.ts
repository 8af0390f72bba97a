/**
 * promtool's printing of label sets (`{a="b", c="d"}`), floats (`1.5E+00`) and alert lists, so
 * `vigil test rules` failure output reads exactly like promtool's.
 */
import type { Labels } from '../model/labels.js';
import { compareLabels } from '../model/labels.js';
import { goQuote } from '../template/go-format.js';

/** Prometheus's `labels.Labels.String()`: `{a="b", c="d"}`, names sorted. */
export function labelsString(l: Labels): string {
  const names = Object.keys(l).sort();
  return '{' + names.map((n) => `${n}=${goQuote(l[n]!)}`).join(', ') + '}';
}

/** Go's `strconv.FormatFloat(v, 'E', -1, 64)`. */
export function formatFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = v.toExponential().toUpperCase();
  return s.replace(/E([+-])(\d)$/, 'E$10$2');
}

/** An alert as promtool compares it: labels and annotations. */
export interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

/** Sorts like promtool: by labels, then annotations. */
export function sortAlertsForCompare(list: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return list.sort(
    (a, b) => compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations),
  );
}

/** Go-style indentLines: every line after the first gets `indent`. */
export function indentLines(lines: string, indent: string): string {
  return lines.split('\n').join('\n' + indent);
}

/** promtool's `labelsAndAnnotations.String()`. */
export function alertsString(list: LabelsAndAnnotations[]): string {
  if (list.length === 0) return '[]';
  const one = (a: LabelsAndAnnotations): string =>
    'Labels:' + labelsString(a.labels) + '\nAnnotations:' + labelsString(a.annotations);
  let s = '[\n0:' + indentLines('\n' + one(list[0]!), '  ');
  for (let i = 1; i < list.length; i++)
    s += ',\n' + i + ':' + indentLines('\n' + one(list[i]!), '  ');
  return s + '\n]';
}
