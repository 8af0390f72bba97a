/**
 * Rule group evaluation with Prometheus semantics: recording rules produce samples, alerting rules
 * drive the alert state machine (inactive → pending → firing, `for`, `keep_firing_for`, resolved
 * alerts kept 15 m), emit `ALERTS` / `ALERTS_FOR_STATE`, template labels and annotations, honour the
 * group `limit`, write staleness markers for vanished output series, and can restore `for` state
 * from `ALERTS_FOR_STATE` after a restart. Pure: the clock is the `tMs` passed in.
 */
import { labelsKey, compareLabels, type Labels } from '../model/labels.js';
import type { Appendable, Queryable } from '../model/queryable.js';
import { STALE_NAN } from '../model/samples.js';
import type { PromqlEngine } from '../promql/engine.js';
import { createRuleTemplateExpander } from '../template/rule-template.js';
import type { TemplateSample } from '../template/prometheus-funcs.js';
import type { AlertingRule, RecordingRule, Rule, RuleGroup } from './rule-file.js';

/** State of an alert: `pending` while `for` has not elapsed, `firing`, or `inactive` once resolved. */
export type AlertState = 'pending' | 'firing' | 'inactive';

/** One alert of an alerting rule. Times are epoch ms; `resolvedAt` is set once it resolved. */
export interface Alert {
  /** The alerting rule's name (also `labels.alertname`). */
  rule: string;
  state: AlertState;
  labels: Labels;
  annotations: Record<string, string>;
  /** The sample value of the latest evaluation in which the alert was active. */
  value: number;
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  /** Since when `keep_firing_for` keeps it firing after the expression stopped returning it. */
  keepFiringSince: number | undefined;
  /** When `alertsToSend` last returned it. */
  lastSentAt: number | undefined;
  /** The `endsAt` it was last sent with. */
  validUntil: number | undefined;
}

/** A sample written by rule evaluation (recorded series, ALERTS, ALERTS_FOR_STATE, stale markers). */
export interface RuleSample {
  labels: Labels;
  t: number;
  v: number;
}

/** Outcome of one rule in one evaluation. */
export interface RuleResult {
  rule: Rule;
  /** `record` or `alert` name. */
  name: string;
  health: 'ok' | 'err';
  /** Prometheus's error text when health is `err`. */
  lastError: string | undefined;
  /** Samples the rule produced (without stale markers). */
  samples: number;
}

/** Result of evaluating a group at one timestamp. */
export interface GroupEvaluation {
  t: number;
  /** Every sample produced, in rule order (already appended when an appendable was given). */
  samples: RuleSample[];
  /** All alerts held after this evaluation (pending, firing, and resolved ones kept for sending), sorted by labels. */
  alerts: Alert[];
  ruleResults: RuleResult[];
}

/** An alert as Alertmanager's API v2 receives it (`POST /api/v2/alerts`). */
export interface AlertToSend {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** Options of `createRuleGroupEvaluator`. */
export interface RuleGroupEvaluatorOptions {
  /** The PromQL engine rules' expressions run on. */
  engine: PromqlEngine;
  /** `global.external_labels`, visible to templates as `$externalLabels`. */
  externalLabels?: Labels;
  /** `--web.external-url`, visible to templates as `$externalURL` and used for generator URLs. */
  externalURL?: string;
  /** Restore alerts' `activeAt` from `ALERTS_FOR_STATE` at the first evaluation (as Prometheus does at startup). */
  restoreForState?: boolean;
  /** How long an outage may last for `for` state to be restored (default 1 h). */
  outageToleranceMs?: number;
  /** Minimum `for` left after a restore (default 10 m). */
  forGracePeriodMs?: number;
  /** How long resolved alerts are kept (and re-sent) (default 15 m). */
  resolvedRetentionMs?: number;
}

/** Evaluates one rule group; keeps the alert state between calls. */
export interface RuleGroupEvaluator {
  readonly group: RuleGroup;
  /**
   * Evaluates every rule of the group at `tMs`, in order. When `appendable` is given, each rule's
   * samples are appended to it before the next rule runs (so later rules see earlier ones' output,
   * as in Prometheus); pass the series store that `queryable` reads. Never throws for rule
   * failures: they appear in `ruleResults` with health `err`.
   */
  evaluate(queryable: Queryable, tMs: number, appendable?: Appendable): GroupEvaluation;
  /** Alerts currently held (pending, firing, resolved-and-kept), sorted by labels. */
  alerts(): Alert[];
  /**
   * The alerts due to be sent to Alertmanager at `tMs` (firing ones every `resendDelayMs`, resolved
   * ones once more after resolving), with Prometheus's `endsAt`; marks them sent.
   */
  alertsToSend(
    tMs: number,
    options?: { resendDelayMs?: number; intervalMs?: number },
  ): AlertToSend[];
  /** Restores pending alerts' `activeAt` from `ALERTS_FOR_STATE` in `queryable` (call after a first evaluation). */
  restoreForState(queryable: Queryable, tMs: number): void;
}

const ALERT_NAME = 'alertname';

function applyLabels(base: Labels, set: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(set)) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

function queryVector(
  engine: PromqlEngine,
  q: Queryable,
  expr: string,
  t: number,
): { labels: Labels; value: number }[] {
  const v = engine.instantQuery(q, expr, t);
  if (v.type === 'vector') return v.samples.map((s) => ({ labels: s.labels, value: s.value }));
  if (v.type === 'scalar') return [{ labels: {}, value: v.value }];
  throw new Error('rule result is not a vector or scalar');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sortAlerts(list: Alert[]): Alert[] {
  return list.sort((a, b) => compareLabels(a.labels, b.labels));
}

/**
 * Creates the evaluator of one rule group (see `RuleGroupEvaluator`). The monitor's loop calls
 * `evaluate(store, t, store)` every group interval, then `alertsToSend(t)` for the notifier.
 *
 * @example
 * const ev = createRuleGroupEvaluator(parseRuleFile('r.yml', text).groups[0], { engine: createPromqlEngine() });
 * const { samples, alerts } = ev.evaluate(store, Date.now(), store);
 */
export function createRuleGroupEvaluator(
  group: RuleGroup,
  options: RuleGroupEvaluatorOptions,
): RuleGroupEvaluator {
  const engine = options.engine;
  const externalLabels = options.externalLabels ?? {};
  const externalURL = options.externalURL ?? '';
  const resolvedRetention = options.resolvedRetentionMs ?? 15 * 60_000;
  const outageTolerance = options.outageToleranceMs ?? 3600_000;
  const forGrace = options.forGracePeriodMs ?? 10 * 60_000;
  const active = new Map<Rule, Map<string, Alert>>();
  const previousSeries = new Map<Rule, Map<string, Labels>>();
  let restored = !options.restoreForState;
  const templates = createRuleTemplateExpander();
  let evaluatedOnce = false;

  const ruleLabels = (r: Rule): Record<string, string> => ({ ...group.labels, ...r.labels });

  function evalRecording(rule: RecordingRule, q: Queryable, t: number): RuleSample[] {
    const vec = queryVector(engine, q, rule.expr, t - group.queryOffsetMs);
    const out: RuleSample[] = [];
    const seen = new Set<string>();
    const extra = ruleLabels(rule);
    for (const s of vec) {
      const labels = applyLabels({ ...s.labels, __name__: rule.record }, extra);
      labels['__name__'] = rule.record;
      const key = labelsKey(labels);
      if (seen.has(key))
        throw new Error(
          'vector contains metrics with the same labelset after applying rule labels',
        );
      seen.add(key);
      out.push({ labels, t, v: s.value });
    }
    if (group.limit > 0 && out.length > group.limit)
      throw new Error(`exceeded limit of ${group.limit} with ${out.length} series`);
    return out;
  }

  function evalAlerting(rule: AlertingRule, q: Queryable, t: number): RuleSample[] {
    const vec = queryVector(engine, q, rule.expr, t - group.queryOffsetMs);
    const query = (expr: string): TemplateSample[] =>
      queryVector(engine, q, expr, t).map((s) => ({ Labels: { ...s.labels }, Value: s.value }));
    const current = new Map<string, Alert>();
    const extra = ruleLabels(rule);
    for (const s of vec) {
      const data = {
        labels: { ...s.labels },
        externalLabels: { ...externalLabels },
        externalURL,
        value: s.value,
      };
      const expand = (text: string): string => templates.expand(rule.alert, text, data, query);
      const base: Record<string, string> = { ...s.labels };
      delete base['__name__'];
      const expanded: Record<string, string> = {};
      for (const [k, v] of Object.entries(extra)) expanded[k] = expand(v);
      const labels = applyLabels(base, expanded);
      labels[ALERT_NAME] = rule.alert;
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(rule.annotations)) annotations[k] = expand(v);
      const key = labelsKey(labels);
      if (current.has(key))
        throw new Error(
          'vector contains metrics with the same labelset after applying alert labels',
        );
      current.set(key, {
        rule: rule.alert,
        state: 'pending',
        labels,
        annotations,
        value: s.value,
        activeAt: t,
        firedAt: undefined,
        resolvedAt: undefined,
        keepFiringSince: undefined,
        lastSentAt: undefined,
        validUntil: undefined,
      });
    }
    let held = active.get(rule);
    if (!held) active.set(rule, (held = new Map()));
    for (const [key, a] of current) {
      const old = held.get(key);
      if (old && old.state !== 'inactive') {
        old.value = a.value;
        old.annotations = a.annotations;
        continue;
      }
      held.set(key, a);
    }
    const out: RuleSample[] = [];
    let numActive = 0;
    for (const [key, a] of [...held]) {
      if (!current.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && rule.keepFiringForMs > 0) {
          if (a.keepFiringSince === undefined) a.keepFiringSince = t;
          if (t - a.keepFiringSince < rule.keepFiringForMs) keepFiring = true;
        }
        if (
          a.state === 'pending' ||
          (a.resolvedAt !== undefined && t - a.resolvedAt > resolvedRetention)
        )
          held.delete(key);
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = t;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = undefined;
      }
      numActive++;
      if (a.state === 'pending' && t - a.activeAt >= rule.forMs) {
        a.state = 'firing';
        a.firedAt = t;
      }
      if (restored) {
        out.push({ labels: { ...a.labels, __name__: 'ALERTS', alertstate: a.state }, t, v: 1 });
        out.push({
          labels: { ...a.labels, __name__: 'ALERTS_FOR_STATE' },
          t,
          v: Math.floor(a.activeAt / 1000),
        });
      }
    }
    if (group.limit > 0 && numActive > group.limit) {
      held.clear();
      throw new Error(`exceeded limit of ${group.limit} with ${numActive} alerts`);
    }
    return out;
  }

  function allAlerts(): Alert[] {
    const list: Alert[] = [];
    for (const held of active.values())
      for (const a of held.values())
        list.push({ ...a, labels: { ...a.labels }, annotations: { ...a.annotations } });
    return sortAlerts(list);
  }

  function restoreForState(q: Queryable, t: number): void {
    for (const rule of group.rules) {
      if (rule.kind !== 'alerting' || rule.forMs <= 0) continue;
      const held = active.get(rule);
      if (!held) continue;
      const series = q.select(
        [
          { name: '__name__', type: '=', value: 'ALERTS_FOR_STATE' },
          { name: ALERT_NAME, type: '=', value: rule.alert },
        ],
        t - outageTolerance,
        t,
      );
      for (const a of held.values()) {
        if (a.state !== 'pending') continue;
        const want = labelsKey({ ...a.labels, __name__: 'ALERTS_FOR_STATE' });
        const s = series.find((x) => labelsKey(x.labels) === want);
        if (!s || s.timestamps.length === 0) continue;
        let idx = s.timestamps.length - 1;
        while (idx >= 0 && Number.isNaN(s.values[idx]!)) idx--;
        if (idx < 0) continue;
        const downAt = Math.floor(s.timestamps[idx]! / 1000) * 1000;
        let restoredActiveAt = s.values[idx]! * 1000;
        const remaining = rule.forMs - (downAt - restoredActiveAt);
        if (remaining <= 0) {
          // it would have fired already: keep the original activeAt
        } else if (remaining < forGrace) {
          restoredActiveAt = t + forGrace - rule.forMs;
        } else {
          restoredActiveAt += t - downAt;
        }
        a.activeAt = restoredActiveAt;
      }
    }
    restored = true;
  }

  return {
    group,
    evaluate(q, t, appendable) {
      const samples: RuleSample[] = [];
      const ruleResults: RuleResult[] = [];
      for (const rule of group.rules) {
        const name = rule.kind === 'recording' ? rule.record : rule.alert;
        let produced: RuleSample[];
        try {
          produced =
            rule.kind === 'recording' ? evalRecording(rule, q, t) : evalAlerting(rule, q, t);
        } catch (e) {
          ruleResults.push({ rule, name, health: 'err', lastError: errorText(e), samples: 0 });
          continue;
        }
        const now = new Map<string, Labels>();
        for (const s of produced) now.set(labelsKey(s.labels), s.labels);
        const stale: RuleSample[] = [];
        for (const [k, labels] of previousSeries.get(rule) ?? [])
          if (!now.has(k)) stale.push({ labels, t, v: STALE_NAN });
        previousSeries.set(rule, now);
        const all = [...produced, ...stale];
        if (appendable) {
          for (const s of all) {
            try {
              appendable.append(s.labels, s.t, s.v);
            } catch {
              // out-of-order / duplicate samples are dropped, as Prometheus's appender does
            }
          }
        }
        samples.push(...all);
        ruleResults.push({
          rule,
          name,
          health: 'ok',
          lastError: undefined,
          samples: produced.length,
        });
      }
      if (!evaluatedOnce) {
        evaluatedOnce = true;
        if (!restored) restoreForState(q, t);
      }
      return { t, samples, alerts: allAlerts(), ruleResults };
    },
    alerts: allAlerts,
    alertsToSend(t, opts = {}) {
      const resendDelay = opts.resendDelayMs ?? 60_000;
      const interval = opts.intervalMs ?? group.intervalMs ?? 60_000;
      const out: AlertToSend[] = [];
      for (const held of active.values()) {
        for (const a of sortAlerts([...held.values()])) {
          if (a.state === 'pending') continue;
          const resolvedSinceSend =
            a.resolvedAt !== undefined &&
            (a.lastSentAt === undefined || a.resolvedAt > a.lastSentAt);
          if (!resolvedSinceSend && a.lastSentAt !== undefined && !(a.lastSentAt + resendDelay < t))
            continue;
          a.lastSentAt = t;
          const delta = Math.max(resendDelay, interval);
          a.validUntil = t + 4 * delta;
          const endsAt =
            a.resolvedAt !== undefined && a.state === 'inactive' ? a.resolvedAt : a.validUntil;
          const rule = group.rules.find((r) => r.kind === 'alerting' && r.alert === a.rule);
          out.push({
            labels: { ...externalLabels, ...a.labels },
            annotations: { ...a.annotations },
            startsAt: iso(a.firedAt ?? a.activeAt),
            endsAt: iso(endsAt),
            generatorURL: `${externalURL}/graph?g0.expr=${encodeURIComponent(rule?.expr ?? '')}&g0.tab=1`,
          });
        }
      }
      return out;
    },
    restoreForState,
  };
}
