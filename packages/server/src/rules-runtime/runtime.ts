import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { labelsKey, STALE_NAN, type Appendable, type Labels, type PromqlEngine, type Queryable } from '@vigil/engine';
import type { PostableAlert } from '../alerting/types.js';
import type { ApiAlert, ApiRule, ApiRuleGroup, RulesView } from '../api/types.js';
import type { LoadedGroup, LoadedRule } from './rule-files.js';
import { expandAlertTemplate } from './template.js';

interface ActiveAlert {
  labels: Labels;
  annotations: Labels;
  state: 'pending' | 'firing';
  activeAt: number;
  firedAt: number;
  lastSentAt: number;
  resolvedAt: number;
  keepFiringSince: number;
  value: number;
}

interface RuleState {
  readonly rule: LoadedRule;
  health: 'ok' | 'err' | 'unknown';
  lastError: string;
  lastEvaluation: number;
  evaluationTime: number;
  active: Map<string, ActiveAlert>;
  /** Series this rule wrote last time (recorded samples, ALERTS, ALERTS_FOR_STATE), for staleness. */
  written: Map<string, Labels>;
}

interface GroupState {
  readonly group: LoadedGroup;
  readonly rules: RuleState[];
  lastEvaluation: number;
  evaluationTime: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/** Options of `createRuleRuntime`. */
export interface RuleRuntimeOptions {
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly engine: PromqlEngine;
  /** Receives firing and resolved alerts (the alerting pipeline or a forwarder). */
  readonly notify?: (alerts: PostableAlert[]) => void | Promise<void>;
  readonly now?: () => number;
  readonly externalLabels?: Labels;
  /** File where pending/firing `activeAt` times persist, so `for` survives a restart. */
  readonly stateFile?: string;
  /** How long after a restart saved `for` state is still restored; default 1h (Prometheus's outage tolerance). */
  readonly outageToleranceMs?: number;
  /** How often firing alerts are re-sent; default 60 s. */
  readonly resendDelayMs?: number;
  readonly generatorUrl?: string;
}

/** The rule runtime: evaluates groups on their intervals; exposes rule health and alerts. */
export interface RuleRuntime extends RulesView {
  /** Replaces the loaded groups; alert state of rules with the same group/name/expr carries over. */
  apply(groups: readonly LoadedGroup[]): void;
  /** Evaluates every group once at `t` (tests and `vigil test`-style runs). */
  evaluateAll(t?: number): Promise<void>;
  stop(): Promise<void>;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const iso = (ms: number): string => (ms > 0 ? new Date(ms).toISOString() : '0001-01-01T00:00:00Z');
const ruleId = (g: LoadedGroup, r: LoadedRule): string => `${g.file}\u0000${g.name}\u0000${r.kind}\u0000${r.name}\u0000${r.expr}\u0000${JSON.stringify(r.labels)}`;

/**
 * Creates the rule runtime: each group runs on its interval at an offset hashed from its file and
 * name (as Prometheus staggers groups); rules run in order so recorded series feed later rules;
 * alerting rules go inactive → pending → firing after `for`, write ALERTS and ALERTS_FOR_STATE, and
 * hand firing/resolved alerts to `notify`. `for` state is saved to `stateFile` and restored.
 */
export function createRuleRuntime(options: RuleRuntimeOptions): RuleRuntime {
  const now = options.now ?? Date.now;
  const ext = options.externalLabels ?? {};
  const resendDelay = options.resendDelayMs ?? 60_000;
  let groups: GroupState[] = [];
  let stopped = false;
  let saving: Promise<void> = Promise.resolve();

  const restored = new Map<string, Map<string, ActiveAlert>>();
  if (options.stateFile && existsSync(options.stateFile)) {
    try {
      const data = JSON.parse(readFileSync(options.stateFile, 'utf8')) as { savedAt: number; rules: Record<string, [string, ActiveAlert][]> };
      if (now() - data.savedAt <= (options.outageToleranceMs ?? 3_600_000)) {
        for (const [id, entries] of Object.entries(data.rules)) restored.set(id, new Map(entries));
      }
    } catch {
      // A corrupt state file only loses `for` progress; alerts start pending again.
    }
  }

  function saveState(): void {
    const file = options.stateFile;
    if (!file) return;
    const rules: Record<string, [string, ActiveAlert][]> = {};
    for (const g of groups) for (const r of g.rules) if (r.active.size) rules[ruleId(g.group, r.rule)] = [...r.active];
    const body = JSON.stringify({ savedAt: now(), rules });
    saving = saving.then(async () => {
      await writeFile(`${file}.tmp`, body);
      await rename(`${file}.tmp`, file);
    }).catch(() => undefined);
  }

  function writeSeries(r: RuleState, current: Map<string, Labels>, t: number): void {
    for (const [k, l] of r.written) if (!current.has(k)) options.appendable.append(l, t, STALE_NAN);
    r.written = current;
  }

  async function evalRule(g: GroupState, r: RuleState, t: number, outbox: PostableAlert[]): Promise<void> {
    const started = performance.now();
    const rule = r.rule;
    try {
      const v = options.engine.instantQuery(options.queryable, rule.expr, t);
      const samples =
        v.type === 'vector' ? v.samples.map((s) => ({ labels: s.labels, value: s.value })) : v.type === 'scalar' ? [{ labels: {} as Labels, value: v.value }] : null;
      if (!samples) throw new Error(`rule result is not a vector or scalar: ${v.type}`);
      const written = new Map<string, Labels>();
      if (rule.kind === 'recording') {
        for (const s of samples) {
          const l: Record<string, string> = { ...s.labels, ...rule.labels, __name__: rule.name };
          const k = labelsKey(l);
          if (written.has(k)) throw new Error('vector contains metrics with the same labelset after applying rule labels');
          written.set(k, l);
          options.appendable.append(l, t, s.value);
        }
        writeSeries(r, written, t);
      } else {
        const seen = new Set<string>();
        for (const s of samples) {
          const base: Record<string, string> = { ...s.labels };
          delete base.__name__;
          const tmplLabels = { ...base };
          for (const [k, val] of Object.entries(rule.labels)) base[k] = expandAlertTemplate(val, tmplLabels, s.value, ext);
          base.alertname = rule.name;
          for (const k of Object.keys(base)) if (base[k] === '') delete base[k];
          const k = labelsKey(base);
          if (seen.has(k)) throw new Error('vector contains metrics with the same labelset after applying alert labels');
          seen.add(k);
          const annotations: Record<string, string> = {};
          for (const [ak, av] of Object.entries(rule.annotations)) annotations[ak] = expandAlertTemplate(av, tmplLabels, s.value, ext);
          let a = r.active.get(k);
          if (!a || a.resolvedAt > 0) {
            a = { labels: base, annotations, state: 'pending', activeAt: t, firedAt: 0, lastSentAt: 0, resolvedAt: 0, keepFiringSince: 0, value: s.value };
            r.active.set(k, a);
          }
          a.value = s.value;
          a.annotations = annotations;
          a.keepFiringSince = 0;
          if (a.state === 'pending' && t - a.activeAt >= rule.forMs) {
            a.state = 'firing';
            a.firedAt = t;
          }
        }
        for (const [k, a] of r.active) {
          if (seen.has(k) || a.resolvedAt > 0) continue;
          if (a.state === 'firing' && rule.keepFiringForMs > 0) {
            if (a.keepFiringSince === 0) a.keepFiringSince = t;
            if (t - a.keepFiringSince < rule.keepFiringForMs) continue;
          }
          if (a.state === 'pending') {
            r.active.delete(k);
            continue;
          }
          a.resolvedAt = t;
          a.lastSentAt = 0;
        }
        for (const a of r.active.values()) {
          if (a.resolvedAt > 0) continue;
          const l = { __name__: 'ALERTS', ...a.labels, alertstate: a.state };
          written.set(labelsKey(l), l);
          options.appendable.append(l, t, 1);
          const f = { __name__: 'ALERTS_FOR_STATE', ...a.labels };
          written.set(labelsKey(f), f);
          options.appendable.append(f, t, a.activeAt / 1000);
        }
        writeSeries(r, written, t);
        const holdMs = 4 * Math.max(g.group.intervalMs, resendDelay);
        for (const [k, a] of r.active) {
          if (a.resolvedAt > 0) {
            if (a.lastSentAt === 0 || t - a.lastSentAt >= resendDelay) {
              outbox.push(toPostable(a, a.resolvedAt));
              a.lastSentAt = t;
            }
            // Resolved alerts are re-sent for 15 minutes, as Prometheus does, then forgotten.
            if (t - a.resolvedAt > 15 * 60_000) r.active.delete(k);
            continue;
          }
          if (a.state === 'firing' && (a.lastSentAt === 0 || t - a.lastSentAt >= resendDelay)) {
            outbox.push(toPostable(a, t + holdMs));
            a.lastSentAt = t;
          }
        }
      }
      r.health = 'ok';
      r.lastError = '';
    } catch (err) {
      r.health = 'err';
      r.lastError = (err as Error).message;
    }
    r.lastEvaluation = t;
    r.evaluationTime = (performance.now() - started) / 1000;
  }

  function toPostable(a: ActiveAlert, endsAt: number): PostableAlert {
    const labels: Record<string, string> = { ...ext, ...a.labels };
    return {
      labels,
      annotations: { ...a.annotations },
      startsAt: new Date(a.firedAt || a.activeAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      ...(options.generatorUrl ? { generatorURL: options.generatorUrl } : {}),
    };
  }

  async function evalGroup(g: GroupState, t: number): Promise<void> {
    const started = performance.now();
    const outbox: PostableAlert[] = [];
    for (const r of g.rules) await evalRule(g, r, t, outbox);
    g.lastEvaluation = t;
    g.evaluationTime = (performance.now() - started) / 1000;
    if (options.stateFile && g.rules.some((r) => r.rule.kind === 'alerting')) saveState();
    if (outbox.length && options.notify) {
      try {
        await options.notify(outbox);
      } catch {
        // The next evaluation re-sends firing alerts; a failed hand-off is not fatal.
      }
    }
  }

  function schedule(g: GroupState): void {
    const interval = g.group.intervalMs;
    const offset = hash(`${g.group.file}\u0000${g.group.name}`) % interval;
    const t = now();
    let next = t - (t % interval) + offset;
    if (next <= t) next += interval;
    g.timer = setTimeout(() => {
      if (stopped || !groups.includes(g)) return;
      if (!g.running) g.running = evalGroup(g, now()).finally(() => (g.running = undefined));
      schedule(g);
    }, next - t);
    g.timer.unref?.();
  }

  function toApiAlert(a: ActiveAlert): ApiAlert {
    return { labels: a.labels, annotations: a.annotations, state: a.state, activeAt: iso(a.activeAt), value: String(a.value) };
  }

  return {
    apply(loaded) {
      const old = new Map<string, RuleState>();
      for (const g of groups) {
        if (g.timer) clearTimeout(g.timer);
        for (const r of g.rules) old.set(ruleId(g.group, r.rule), r);
      }
      groups = loaded.map((group) => ({
        group,
        lastEvaluation: 0,
        evaluationTime: 0,
        rules: group.rules.map((rule) => {
          const id = ruleId(group, rule);
          const prev = old.get(id);
          if (prev) return { ...prev, rule };
          return { rule, health: 'unknown', lastError: '', lastEvaluation: 0, evaluationTime: 0, active: restored.get(id) ?? new Map(), written: new Map() } as RuleState;
        }),
      }));
      if (!stopped) for (const g of groups) schedule(g);
    },
    async evaluateAll(t) {
      for (const g of groups) await evalGroup(g, t ?? now());
    },
    groups(): ApiRuleGroup[] {
      return groups.map((g) => ({
        name: g.group.name,
        file: g.group.file,
        interval: g.group.intervalMs / 1000,
        evaluationTime: g.evaluationTime,
        lastEvaluation: iso(g.lastEvaluation),
        rules: g.rules.map((r): ApiRule => {
          const common = {
            name: r.rule.name,
            query: r.rule.expr,
            labels: r.rule.labels,
            health: r.health,
            ...(r.lastError ? { lastError: r.lastError } : {}),
            evaluationTime: r.evaluationTime,
            lastEvaluation: iso(r.lastEvaluation),
          };
          if (r.rule.kind === 'recording') return { type: 'recording', ...common };
          const alerts = [...r.active.values()].filter((a) => a.resolvedAt === 0);
          const state = alerts.some((a) => a.state === 'firing') ? 'firing' : alerts.length ? 'pending' : 'inactive';
          return {
            type: 'alerting',
            ...common,
            duration: r.rule.forMs / 1000,
            keepFiringFor: r.rule.keepFiringForMs / 1000,
            annotations: r.rule.annotations,
            alerts: alerts.map(toApiAlert),
            state,
          };
        }),
      }));
    },
    alerts() {
      const out: ApiAlert[] = [];
      for (const g of groups) for (const r of g.rules) for (const a of r.active.values()) if (a.resolvedAt === 0) out.push(toApiAlert(a));
      return out;
    },
    async stop() {
      stopped = true;
      for (const g of groups) if (g.timer) clearTimeout(g.timer);
      await Promise.all(groups.map((g) => g.running));
      if (options.stateFile) saveState();
      await saving;
    },
  };
}
