import { readFile } from 'node:fs/promises';
import {
  createRuleGroupEvaluator,
  parseRuleFile as parseEngineRuleFile,
  type Alert,
  type Appendable,
  type Labels,
  type PromqlEngine,
  type Queryable,
  type RuleGroup,
  type RuleGroupEvaluator,
  type RuleResult,
} from '@vigil/engine';
import type { PostableAlert } from '../alerting/types.js';
import type { ApiAlert, ApiRule, ApiRuleGroup } from '../api/types.js';
import { ConfigError } from '../config/errors.js';
import { expandGlobSync } from '../fs/glob.js';
import type { RulesView } from '../api/types.js';

/** A rule group as the engine's parser returns it, with the interval it runs at. */
export interface EngineGroup {
  readonly group: RuleGroup;
  readonly intervalMs: number;
}

/**
 * Loads rule files with the engine's parser (Prometheus's rules, errors as file:line:column),
 * expanding globs in file names; groups without an interval get `defaultIntervalMs`.
 */
export async function loadRuleFiles(patterns: readonly string[], defaultIntervalMs: number): Promise<EngineGroup[]> {
  const out: EngineGroup[] = [];
  for (const pattern of patterns) {
    for (const f of expandGlobSync(pattern)) {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (err) {
        throw new ConfigError(f, 0, 0, 'rule_files', `cannot read rule file: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
      }
      for (const group of parseEngineRuleFile(f, text).groups) out.push({ group, intervalMs: group.intervalMs ?? defaultIntervalMs });
    }
  }
  return out;
}

/** Options of `createRuleRuntime`. */
export interface RuleRuntimeOptions {
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly engine: PromqlEngine;
  readonly notify?: (alerts: PostableAlert[]) => void | Promise<void>;
  readonly now?: () => number;
  readonly externalLabels?: Labels;
  readonly externalURL?: string;
  /** Re-send interval of firing alerts; default 60 s. */
  readonly resendDelayMs?: number;
}

/** The rule runtime: evaluates rule groups on their intervals; exposes rule health and alerts. */
export interface RuleRuntime extends RulesView {
  /** Replaces the loaded groups; groups whose file, name and rules are unchanged keep their alert state. */
  apply(groups: readonly EngineGroup[]): void;
  /** Evaluates every group once at `t` (default now). */
  evaluateAll(t?: number): Promise<void>;
  stop(): Promise<void>;
}

interface GroupState {
  readonly g: EngineGroup;
  readonly evaluator: RuleGroupEvaluator;
  results: RuleResult[];
  lastEvaluation: number;
  evaluationTime: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
const iso = (ms: number): string => (ms > 0 ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z');
const groupId = (g: RuleGroup): string => `${g.file}\u0000${g.name}\u0000${JSON.stringify(g.rules.map((r) => [r.kind, r.expr, r.labels]))}`;

/**
 * Creates the rule runtime on the engine's group evaluator: groups run on their interval at an
 * offset hashed from file and name (as Prometheus staggers them), rule output is appended to the
 * store before the next rule runs, `for` state is restored from `ALERTS_FOR_STATE` in the (durable)
 * store at the first evaluation, and due alerts go to `notify`.
 */
export function createRuleRuntime(options: RuleRuntimeOptions): RuleRuntime {
  const now = options.now ?? Date.now;
  let groups: GroupState[] = [];
  let stopped = false;

  async function evalGroup(s: GroupState, t: number): Promise<void> {
    const started = performance.now();
    const res = s.evaluator.evaluate(options.queryable, t, options.appendable);
    s.results = res.ruleResults;
    s.lastEvaluation = t;
    s.evaluationTime = (performance.now() - started) / 1000;
    const due = s.evaluator.alertsToSend(t, { resendDelayMs: options.resendDelayMs ?? 60_000, intervalMs: s.g.intervalMs });
    if (due.length && options.notify) {
      try {
        await options.notify(due);
      } catch {
        // The next evaluation re-sends firing alerts; a failed hand-off is not fatal.
      }
    }
  }

  function schedule(s: GroupState): void {
    const interval = s.g.intervalMs;
    const offset = hash(`${s.g.group.file}\u0000${s.g.group.name}`) % interval;
    const t = now();
    let next = t - (t % interval) + offset;
    if (next <= t) next += interval;
    s.timer = setTimeout(() => {
      if (stopped || !groups.includes(s)) return;
      if (!s.running) s.running = evalGroup(s, now()).finally(() => (s.running = undefined));
      schedule(s);
    }, next - t);
    s.timer.unref?.();
  }

  const toApi = (a: Alert): ApiAlert => ({
    labels: a.labels,
    annotations: a.annotations,
    state: a.state === 'firing' ? 'firing' : 'pending',
    activeAt: iso(a.activeAt),
    value: String(a.value),
  });
  const active = (a: Alert): boolean => a.state !== 'inactive';

  return {
    apply(loaded: readonly EngineGroup[]) {
      const old = new Map<string, GroupState>();
      for (const s of groups) {
        if (s.timer) clearTimeout(s.timer);
        old.set(groupId(s.g.group), s);
      }
      groups = loaded.map((g) => {
        const prev = old.get(groupId(g.group));
        // Unchanged groups keep their evaluator, so pending/firing alerts survive a reload.
        if (prev && prev.g.intervalMs === g.intervalMs) return { ...prev, g, timer: undefined };
        return {
          g,
          evaluator: createRuleGroupEvaluator(g.group, {
            engine: options.engine,
            restoreForState: true,
            ...(options.externalLabels ? { externalLabels: options.externalLabels } : {}),
            ...(options.externalURL ? { externalURL: options.externalURL } : {}),
          }),
          results: [],
          lastEvaluation: 0,
          evaluationTime: 0,
        };
      });
      if (!stopped) for (const s of groups) schedule(s);
    },
    async evaluateAll(t?: number) {
      for (const s of groups) await evalGroup(s, t ?? now());
    },
    groups(): ApiRuleGroup[] {
      return groups.map((s) => ({
        name: s.g.group.name,
        file: s.g.group.file,
        interval: s.g.intervalMs / 1000,
        evaluationTime: s.evaluationTime,
        lastEvaluation: iso(s.lastEvaluation),
        rules: s.g.group.rules.map((rule, i): ApiRule => {
          const r = s.results[i];
          const common = {
            name: rule.kind === 'recording' ? rule.record : rule.alert,
            query: rule.expr,
            labels: rule.labels,
            health: r ? r.health : ('unknown' as const),
            ...(r?.lastError ? { lastError: r.lastError } : {}),
            evaluationTime: s.evaluationTime / Math.max(1, s.g.group.rules.length),
            lastEvaluation: iso(s.lastEvaluation),
          };
          if (rule.kind === 'recording') return { type: 'recording', ...common };
          const alerts = s.evaluator.alerts().filter((a) => a.rule === rule.alert && active(a));
          return {
            type: 'alerting',
            ...common,
            duration: rule.forMs / 1000,
            keepFiringFor: rule.keepFiringForMs / 1000,
            annotations: rule.annotations,
            alerts: alerts.map(toApi),
            state: alerts.some((a) => a.state === 'firing') ? 'firing' : alerts.length ? 'pending' : 'inactive',
          };
        }),
      }));
    },
    alerts(): ApiAlert[] {
      return groups.flatMap((s) => s.evaluator.alerts().filter(active).map(toApi));
    },
    async stop() {
      stopped = true;
      for (const s of groups) if (s.timer) clearTimeout(s.timer);
      await Promise.all(groups.map((s) => s.running));
    },
  };
}
