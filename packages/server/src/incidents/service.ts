import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { createSystemClock, type AlertingClock, type TimerHandle } from '../alerting/clock.js';
import type { AlertingEvent, AlertingEventAlert, AlertingPipeline } from '../alerting/pipeline.js';
import type { NotificationAlert } from '../notify/contract.js';
import type { StateQueryable, StateStore } from '../state/types.js';
import { runAutomation, type AutomationResult } from './automations.js';
import { DEFAULT_INCIDENTS_CONFIG, type AutomationConfig, type EscalationConfig, type IncidentsConfig } from './config.js';
import { invalid, notFound } from './errors.js';
import { incidentLink } from './links.js';
import { compileAutomations, compilePlaybooks, compilePolicies, matchingAutomations, matchingPlaybook, matchingPolicy, type CompiledAutomation, type CompiledPlaybook, type CompiledPolicy } from './matching.js';
import { createIncidentMetrics, type IncidentMetrics } from './metrics.js';
import { createIncidentRepository, type IncidentAlertRow, type IncidentRepository, type IncidentRow, type StatsRow, type TimelineRow } from './repository.js';
import { highestSeverity, isSeverity, normalizeSeverity } from './severity.js';
import type { Incident, IncidentEvent, IncidentListFilter, IncidentSeverity, IncidentStatsGroup, IncidentSummary, PublicIncident, PublicUpdateStatus } from './types.js';
import { toIncident, toPublicIncident, toSummary } from './views.js';

/** The actor recorded for what Vigil does by itself (auto-open, auto-resolve, escalation). */
export const SYSTEM_ACTOR = 'vigil';

/** Options of {@link createIncidentService}. */
export interface IncidentServiceOptions {
  /** Where incidents live (migration namespace `incidents`). */
  readonly store: StateStore;
  /** The `incidents:` config (default: open on `severity="critical"`, 5 m grace). */
  readonly config?: IncidentsConfig;
  /** Time source and scheduler for grace periods and escalation (default: the system clock). */
  readonly clock?: AlertingClock;
  /** URL of this Vigil as users reach it, for the links notifications carry. */
  readonly externalURL?: string;
  /** The alerting pipeline to follow (also settable later with `attach`). */
  readonly pipeline?: AlertingPipeline;
  /** Registry for `vigil_incidents_open` / `vigil_incidents_total`. */
  readonly metricsRegistry?: Registry;
  /** Where failures are reported (never thrown at the pipeline); default silent. */
  readonly log?: (line: string) => void;
  /** Secrets to redact from automation output (e.g. the state store's connection string). */
  readonly secrets?: readonly string[];
}

/** Input of a manual open. */
export interface OpenIncidentInput {
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly service?: string;
  readonly summary?: string;
  readonly public?: boolean;
}

/**
 * The incident service: opens incidents from alert groups matching the policy, follows their alerts,
 * records a timeline of every change, escalates unacknowledged incidents along a receiver chain,
 * auto-resolves after the grace period, runs playbooks and automated responses, and computes MTTA/MTTR.
 * Every change goes to the state store first (nothing lost on restart; timers re-armed from stored deadlines).
 */
export interface IncidentService {
  /** Incidents, newest first. */
  list(filter?: IncidentListFilter): Promise<IncidentSummary[]>;
  /** One incident with everything about it; throws `VIGIL_ERR_INCIDENT_NOT_FOUND`. */
  get(id: string): Promise<Incident>;
  /** Opens an incident by hand. Throws `VIGIL_ERR_INCIDENT_INVALID` on bad input. */
  open(input: OpenIncidentInput, actor: string): Promise<Incident>;
  /** Acknowledges (stops escalation); idempotent on an acknowledged incident, invalid on a resolved one. */
  acknowledge(id: string, actor: string): Promise<Incident>;
  /** Resolves by hand; idempotent on a resolved incident. */
  resolve(id: string, actor: string): Promise<Incident>;
  /** Adds a note to the timeline. */
  addNote(id: string, text: string, actor: string): Promise<Incident>;
  /** Checks off playbook step `index` (1-based) into the timeline. */
  completeStep(id: string, index: number, actor: string): Promise<Incident>;
  /** Adds a public (status page) update; the incident becomes public. */
  addPublicUpdate(id: string, update: { status: PublicUpdateStatus; text: string }, actor: string): Promise<Incident>;
  /** MTTA and MTTR per service and severity for incidents opened in [from, to] (ms). */
  stats(from: number, to: number): Promise<IncidentStatsGroup[]>;
  /** Public incidents for the status page: unresolved ones and those resolved in the last 7 days. */
  publicIncidents(): Promise<PublicIncident[]>;
  /** Subscribes to incident changes; returns the unsubscribe function. */
  subscribe(listener: (e: IncidentEvent) => void): () => void;
  /** Follows a (new) alerting pipeline, leaving the previous one. */
  attach(pipeline: AlertingPipeline | undefined): void;
  /** Applies a new `incidents:` config (policies, playbooks, automations, escalation of future incidents). */
  applyConfig(config: IncidentsConfig): void;
  /** Resolves once queued work, automations and escalation notifications have finished (tests). */
  idle(): Promise<void>;
  /** Stops timers and listeners; the store stays open (the caller owns it). */
  stop(): Promise<void>;
}

type Labels = Readonly<Record<string, string>>;

const firstDefined = (labels: readonly Labels[], names: readonly string[]): string | undefined => {
  for (const n of names) for (const l of labels) if (l[n]) return l[n];
  return undefined;
};

function titleOf(alerts: readonly AlertingEventAlert[], service: string): string {
  const names = [...new Set(alerts.map((a) => a.labels.alertname).filter((n): n is string => !!n))];
  const base = names.length === 0 ? 'Alert' : names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return service ? `${base} on ${service}` : base;
}

function linksOf(alerts: readonly { annotations: Labels }[]): IncidentRow['links'] {
  const runbook = firstDefined(alerts.map((a) => a.annotations), ['runbook_url', 'runbook']);
  const dashboard = firstDefined(alerts.map((a) => a.annotations), ['dashboard_url', 'dashboard']);
  return { ...(runbook ? { runbook_url: runbook } : {}), ...(dashboard ? { dashboard_url: dashboard } : {}) };
}

/** Values an automation's own config makes secret: webhook header values, URL password and query values. */
function automationSecrets(a: AutomationConfig): string[] {
  if (!a.webhook) return [];
  const out = Object.values(a.webhook.headers);
  const u = new URL(a.webhook.url);
  if (u.password) out.push(decodeURIComponent(u.password));
  for (const v of u.searchParams.values()) out.push(v);
  return out.filter((v) => v.length >= 4);
}

const fmtDuration = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`);

/** Creates the incident service on a state store, applying its migrations and re-arming stored deadlines. */
export async function createIncidentService(options: IncidentServiceOptions): Promise<IncidentService> {
  const clock = options.clock ?? createSystemClock();
  const log = options.log ?? (() => undefined);
  const externalURL = options.externalURL ?? '';
  const secrets = options.secrets ?? [];
  const repo: IncidentRepository = await createIncidentRepository(options.store);
  const metrics: IncidentMetrics | undefined = options.metricsRegistry ? createIncidentMetrics(options.metricsRegistry, () => repo.openCounts()) : undefined;

  let config: IncidentsConfig = options.config ?? DEFAULT_INCIDENTS_CONFIG;
  let policies: CompiledPolicy[] = [];
  let playbooks: CompiledPlaybook[] = [];
  let automations: CompiledAutomation[] = [];
  const compile = (c: IncidentsConfig): void => {
    policies = compilePolicies(c.open_when);
    playbooks = compilePlaybooks(c.playbooks);
    automations = compileAutomations(c.automations);
    config = c;
  };
  compile(config);

  let stopped = false;
  const listeners = new Set<(e: IncidentEvent) => void>();
  const timers = new Map<string, { escalation?: TimerHandle; resolve?: TimerHandle }>();
  const background = new Set<Promise<unknown>>();
  let pipeline: AlertingPipeline | undefined;
  let unsubscribe: (() => void) | undefined;
  // Which incident each alert group has, known synchronously so routed notifications can carry its
  // links: the pipeline builds a notification right after telling us about the group, before the
  // incident is written. A new incident's id is chosen at that moment (pendingIds) and used on insert.
  const activeByGroup = new Map<string, string>();
  const latestByGroup = new Map<string, { id: string; resolved_at: number | null }>();
  const pendingIds = new Map<string, string>();
  const remember = (row: IncidentRow): void => {
    if (row.group_key === null) return;
    latestByGroup.set(row.group_key, { id: row.id, resolved_at: row.resolved_at });
    if (row.resolved_at === null) activeByGroup.set(row.group_key, row.id);
    else if (activeByGroup.get(row.group_key) === row.id) activeByGroup.delete(row.group_key);
  };
  const linksFor = (id: string) => ({ incident_url: incidentLink(externalURL, id), acknowledge_url: incidentLink(externalURL, id, 'acknowledge'), resolve_url: incidentLink(externalURL, id, 'resolve') });

  // Every mutation runs alone, in arrival order: pipeline events, timers and API calls never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const inBackground = (p: Promise<unknown>): void => {
    const q = p.catch((err: unknown) => log(`incidents: ${(err as Error).message}`));
    background.add(q);
    void q.finally(() => background.delete(q));
  };

  const load = async (id: string): Promise<IncidentRow> => {
    const row = await repo.get(id);
    if (!row) throw notFound(id);
    return row;
  };
  const view = async (row: IncidentRow): Promise<Incident> => toIncident(row, await repo.alerts(row.id), await repo.timeline(row.id), await repo.publicUpdates(row.id));
  const emit = async (row: IncidentRow): Promise<void> => {
    if (listeners.size === 0) return;
    const summary = toSummary(row, (await repo.alertCounts([row.id])).get(row.id) ?? 0);
    for (const l of listeners) {
      try {
        l({ type: 'incident', incident: summary });
      } catch (err) {
        log(`incidents: listener failed: ${(err as Error).message}`);
      }
    }
  };
  const entry = (tx: StateQueryable, id: string, e: Omit<TimelineRow, 'seq' | 'data' | 'at'> & { data?: Record<string, unknown>; at?: number }) =>
    repo.addTimeline(tx, id, { at: e.at ?? clock.now(), actor: e.actor, kind: e.kind, text: e.text, data: e.data ?? null });

  // ---- timers: escalation and auto-resolve deadlines, always derived from the stored row ----
  const disarm = (id: string): void => {
    const t = timers.get(id);
    if (t?.escalation) clock.clearTimer(t.escalation);
    if (t?.resolve) clock.clearTimer(t.resolve);
    timers.delete(id);
  };
  const arm = (row: IncidentRow): void => {
    disarm(row.id);
    if (stopped || row.resolved_at !== null) return;
    const t: { escalation?: TimerHandle; resolve?: TimerHandle } = {};
    if (row.status === 'open' && row.escalation_next_at !== null) {
      t.escalation = clock.setTimer(() => inBackground(escalate(row.id)), row.escalation_next_at - clock.now());
    }
    if (row.alerts_clear_at !== null && row.group_key !== null) {
      t.resolve = clock.setTimer(() => inBackground(autoResolve(row.id)), row.alerts_clear_at + config.resolve_grace_ms - clock.now());
    }
    if (t.escalation || t.resolve) timers.set(row.id, t);
  };

  const escalationFor = (policy: CompiledPolicy | undefined): EscalationConfig | undefined => policy?.escalation ?? config.escalation;

  // ---- opening, updating, reopening from alert groups ----
  const afterOpen = (row: IncidentRow, labelSets: readonly Labels[]): void => {
    metrics?.opened(row.severity);
    for (const a of matchingAutomations(automations, labelSets)) {
      inBackground(
        (async () => {
          const alerts = await repo.alerts(row.id);
          const result: AutomationResult = await runAutomation(
            a,
            {
              incident: { id: row.id, title: row.title, severity: row.severity, service: row.service, url: incidentLink(externalURL, row.id) },
              payload: { incident: toSummary(row, alerts.length), alerts: alerts.map((x) => ({ labels: x.labels, annotations: x.annotations, status: x.status })), url: incidentLink(externalURL, row.id) },
            },
            [...secrets, ...automationSecrets(a)],
          );
          if (stopped) return;
          await exclusive(async () => {
            await options.store.transaction((tx) => entry(tx, row.id, { actor: SYSTEM_ACTOR, kind: 'automation', text: result.text, data: { name: result.name, kind: result.kind, ok: result.ok, ...result.data } }));
          });
        })(),
      );
    }
  };

  const newRow = (fields: Partial<IncidentRow> & Pick<IncidentRow, 'title' | 'severity' | 'service' | 'opened_at'>, escalation: EscalationConfig | undefined): IncidentRow => ({
    id: randomUUID(),
    group_key: null,
    summary: '',
    severity_manual: false,
    status: 'open',
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    alerts_clear_at: null,
    is_public: false,
    playbook: null,
    links: {},
    escalation_chain: escalation ? [...escalation.chain] : null,
    escalation_after_ms: escalation ? escalation.after_ms : null,
    escalation_level: 0,
    escalation_next_at: escalation ? fields.opened_at + escalation.after_ms : null,
    updated_at: fields.opened_at,
    ...fields,
  });

  const toAlertRow = (a: AlertingEventAlert): IncidentAlertRow => ({
    fingerprint: a.fingerprint,
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    status: a.status,
    starts_at: a.startsAt,
    ends_at: a.status === 'resolved' ? a.endsAt : null,
  });

  /** Merges the group's alerts into the incident's; writes timeline entries for changes; returns the merged list. */
  const mergeAlerts = async (tx: StateQueryable, row: IncidentRow, stored: readonly IncidentAlertRow[], alerts: readonly AlertingEventAlert[], at: number): Promise<IncidentAlertRow[]> => {
    const byFp = new Map(stored.map((a) => [a.fingerprint, a]));
    for (const a of alerts) {
      const old = byFp.get(a.fingerprint);
      const next = toAlertRow(a);
      if (old && old.status === next.status && old.starts_at === next.starts_at && old.ends_at === next.ends_at && JSON.stringify(old.annotations) === JSON.stringify(next.annotations)) continue;
      await repo.upsertAlert(tx, row.id, next);
      byFp.set(a.fingerprint, next);
      const name = a.labels.alertname ?? a.fingerprint;
      if (next.status === 'firing' && (!old || old.status !== 'firing' || old.starts_at !== next.starts_at)) {
        await entry(tx, row.id, { at, actor: SYSTEM_ACTOR, kind: 'alert_firing', text: `alert ${name} firing`, data: { fingerprint: a.fingerprint, labels: a.labels } });
      } else if (next.status === 'resolved' && (!old || old.status !== 'resolved')) {
        await entry(tx, row.id, { at, actor: SYSTEM_ACTOR, kind: 'alert_resolved', text: `alert ${name} resolved`, data: { fingerprint: a.fingerprint } });
      }
    }
    return [...byFp.values()];
  };

  /** Derived fields of an alert-driven incident: severity (unless set by hand), alerts_clear_at, links. */
  const derive = (row: IncidentRow, alerts: readonly IncidentAlertRow[]): IncidentRow => {
    const severity = row.severity_manual ? row.severity : highestSeverity(alerts.map((a) => normalizeSeverity(a.labels.severity)));
    const allResolved = alerts.length > 0 && alerts.every((a) => a.status === 'resolved');
    const clearAt = allResolved ? Math.max(...alerts.map((a) => a.ends_at ?? 0)) : null;
    const links = { ...linksOf(alerts), ...row.links };
    return { ...row, severity, alerts_clear_at: clearAt, links };
  };

  const onGroup = async (e: Extract<AlertingEvent, { type: 'group' }>): Promise<void> => {
    // Silenced or inhibited alerts do not open (or reopen) an incident; they still join an open one.
    const firing = e.alerts.filter((a) => a.status === 'firing' && !a.suppressed);
    let changed: IncidentRow | undefined;
    let opened: { row: IncidentRow; labels: Labels[] } | undefined;
    let activeId: string | undefined;
    try {
      await applyGroup();
    } catch (err) {
      // E.g. another replica opened the group's incident first: the next flush joins that one.
      activeByGroup.delete(e.groupKey);
      pendingIds.delete(e.groupKey);
      throw err;
    }
    if (activeId) activeByGroup.set(e.groupKey, activeId);
    else activeByGroup.delete(e.groupKey);
    if (changed) {
      remember(changed);
      if (opened) pendingIds.delete(e.groupKey);
      arm(changed);
      await emit(changed);
    }
    if (opened) afterOpen(opened.row, opened.labels);

    async function applyGroup(): Promise<void> {
    await options.store.transaction(async (tx) => {
      const active = await repo.activeForGroup(e.groupKey, tx);
      activeId = active?.id;
      if (active) {
        const stored = await repo.alerts(active.id, tx);
        const merged = await mergeAlerts(tx, active, stored, e.alerts, e.at);
        const next = derive(active, merged);
        if (next.severity !== active.severity || next.alerts_clear_at !== active.alerts_clear_at || JSON.stringify(next.links) !== JSON.stringify(active.links) || merged.length !== stored.length || merged.some((m, i) => m !== stored[i])) {
          const row = { ...next, updated_at: e.at };
          await repo.update(tx, row);
          changed = row;
        }
        return;
      }
      if (firing.length === 0) return;
      const policy = matchingPolicy(policies, firing.map((a) => a.labels));
      if (!policy) return;
      const last = await repo.latestForGroup(e.groupKey, tx);
      if (last && last.resolved_at !== null) {
        const lastAlerts = await repo.alerts(last.id, tx);
        // "Fires again" = an alert that started after the resolution or was not firing then: alerts
        // still firing from before a manual resolve do not reopen it on the next group flush.
        const resolvedAt = last.resolved_at;
        const again = firing.some((a) => a.startsAt > resolvedAt || !lastAlerts.some((x) => x.fingerprint === a.fingerprint && x.status === 'firing'));
        if (!again) return;
        if (e.at - resolvedAt <= config.reopen_window_ms) {
          const esc = escalationFor(policy);
          const merged = await mergeAlerts(tx, last, lastAlerts, e.alerts, e.at);
          const row: IncidentRow = {
            ...derive(last, merged),
            status: 'open',
            resolved_at: null,
            acknowledged_at: null,
            acknowledged_by: null,
            escalation_chain: esc ? [...esc.chain] : null,
            escalation_after_ms: esc ? esc.after_ms : null,
            escalation_level: 0,
            escalation_next_at: esc ? e.at + esc.after_ms : null,
            updated_at: e.at,
          };
          await repo.update(tx, row);
          activeId = row.id;
          await entry(tx, row.id, { at: e.at, actor: SYSTEM_ACTOR, kind: 'reopened', text: `reopened: alert group fired again ${fmtDuration(e.at - resolvedAt)} after resolution (within the ${fmtDuration(config.reopen_window_ms)} reopen window)` });
          changed = row;
          return;
        }
      }
      const labelSets = [e.groupLabels, ...firing.map((a) => a.labels)];
      const service = firstDefined(labelSets, ['service']) ?? firstDefined(labelSets, ['job']) ?? '';
      const pb = matchingPlaybook(playbooks, firing.map((a) => a.labels));
      const summary = firstDefined(firing.map((a) => a.annotations), ['summary', 'description']) ?? '';
      let row = newRow(
        {
          id: pendingIds.get(e.groupKey) ?? randomUUID(),
          group_key: e.groupKey,
          title: titleOf(firing, service),
          summary,
          severity: 'info',
          service,
          opened_at: e.at,
          is_public: policy.public,
          playbook: pb ? { name: pb.name, steps: pb.steps.map((s) => ({ ...s })) } : null,
        },
        escalationFor(policy),
      );
      const alerts = e.alerts.map(toAlertRow);
      row = derive(row, alerts);
      await repo.insert(tx, row);
      await entry(tx, row.id, { at: e.at, actor: SYSTEM_ACTOR, kind: 'opened', text: `opened: ${firing.length} alert(s) of group ${e.groupKey} matched the incident policy`, data: { group_key: e.groupKey, receiver: e.receiver, group_labels: e.groupLabels } });
      for (const a of alerts) {
        await repo.upsertAlert(tx, row.id, a);
        const name = a.labels.alertname ?? a.fingerprint;
        await entry(tx, row.id, { at: e.at, actor: SYSTEM_ACTOR, kind: a.status === 'firing' ? 'alert_firing' : 'alert_resolved', text: `alert ${name} ${a.status}`, data: { fingerprint: a.fingerprint, labels: a.labels } });
      }
      if (pb) await entry(tx, row.id, { at: e.at, actor: SYSTEM_ACTOR, kind: 'playbook_step', text: `playbook ${pb.name} attached (${pb.steps.length} steps)`, data: { playbook: pb.name } });
      changed = row;
      activeId = row.id;
      opened = { row, labels: firing.map((a) => a.labels) };
    });
    }
  };

  const onNotification = async (e: Extract<AlertingEvent, { type: 'notification' }>): Promise<void> => {
    let row = await repo.activeForGroup(e.groupKey);
    if (!row) {
      // The "resolved" notification of a just-resolved incident still belongs to it; later
      // notifications of the group (e.g. warnings that open nothing) do not.
      const last = await repo.latestForGroup(e.groupKey);
      if (last && last.resolved_at !== null && e.firing === 0 && e.at - last.resolved_at <= 15 * 60_000) row = last;
    }
    if (!row || row.opened_at > e.at) return;
    const what = `${e.firing} firing${e.resolved ? `, ${e.resolved} resolved` : ''}`;
    await options.store.transaction((tx) =>
      entry(tx, row.id, {
        at: e.at,
        actor: SYSTEM_ACTOR,
        kind: 'notification',
        text: e.outcome === 'success' ? `notified ${e.receiver} via ${e.integration} (${what})` : `notification to ${e.receiver} via ${e.integration} failed (${what})${e.error ? `: ${e.error}` : ''}`,
        data: { receiver: e.receiver, integration: e.integration, outcome: e.outcome, firing: e.firing, resolved: e.resolved, ...(e.error ? { error: e.error } : {}) },
      }),
    );
  };

  const onEvent = (e: AlertingEvent): void => {
    if (stopped || !config.enabled) return;
    if (e.type === 'group' && !activeByGroup.has(e.groupKey)) {
      const firing = e.alerts.filter((a) => a.status === 'firing' && !a.suppressed);
      // Most groups never concern an incident: no store round trip for them.
      if (firing.length === 0 || !matchingPolicy(policies, firing.map((a) => a.labels))) return;
      const last = latestByGroup.get(e.groupKey);
      const reopen = last && last.resolved_at !== null && e.at - last.resolved_at <= config.reopen_window_ms;
      let id = reopen ? last.id : pendingIds.get(e.groupKey);
      if (!id) pendingIds.set(e.groupKey, (id = randomUUID()));
      activeByGroup.set(e.groupKey, id);
    }
    if (e.type === 'notification' && !activeByGroup.has(e.groupKey) && !latestByGroup.has(e.groupKey)) return;
    inBackground(exclusive(() => (e.type === 'group' ? onGroup(e) : onNotification(e))));
  };

  // ---- escalation and auto-resolve ----
  const escalate = (id: string): Promise<void> =>
    exclusive(async () => {
      if (stopped) return;
      const row = await repo.get(id);
      if (!row || row.status !== 'open' || row.escalation_next_at === null || !row.escalation_chain) return;
      const now = clock.now();
      if (now < row.escalation_next_at) return arm(row);
      const chain = row.escalation_chain;
      const receiver = chain[row.escalation_level];
      if (receiver === undefined) return;
      const level = row.escalation_level + 1;
      const after = row.escalation_after_ms ?? 0;
      const next: IncidentRow = { ...row, escalation_level: level, escalation_next_at: level < chain.length ? Math.max(now, row.escalation_next_at) + after : null, updated_at: now };
      const won = await options.store.transaction(async (tx) => {
        if (!(await repo.updateIfUnchanged(tx, next, row.updated_at))) return false;
        await entry(tx, id, {
          actor: SYSTEM_ACTOR,
          kind: 'escalated',
          text: `escalated to ${receiver} (level ${level} of ${chain.length}): not acknowledged within ${fmtDuration(now - row.opened_at)}`,
          data: { receiver, level, chain },
        });
        return true;
      });
      // Another replica escalated (or changed) it first: follow the stored state instead.
      if (!won) {
        const fresh = await repo.get(id);
        if (fresh) arm(fresh);
        return;
      }
      arm(next);
      await emit(next);
      inBackground(sendEscalation(next, receiver));
    });

  const sendEscalation = async (row: IncidentRow, receiver: string): Promise<void> => {
    const alerts = await repo.alerts(row.id);
    const links = linksFor(row.id);
    const iso = (ms: number) => new Date(ms).toISOString();
    const firing = alerts.filter((a) => a.status === 'firing');
    const list: NotificationAlert[] = (firing.length > 0 ? firing : []).map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: { ...a.annotations, ...links },
      startsAt: iso(a.starts_at),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: links.incident_url,
      fingerprint: a.fingerprint,
    }));
    if (list.length === 0) {
      list.push({
        status: 'firing',
        labels: { alertname: 'VigilIncident', severity: row.severity, ...(row.service ? { service: row.service } : {}), incident_id: row.id },
        annotations: { summary: row.title, ...(row.summary ? { description: row.summary } : {}), ...links },
        startsAt: iso(row.opened_at),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: links.incident_url,
        fingerprint: row.id.replace(/-/g, '').slice(0, 16),
      });
    }
    let results: { receiver: string; integration: string; outcome: 'success' | 'failure'; error?: string }[];
    if (!pipeline) results = [{ receiver, integration: '-', outcome: 'failure', error: 'no alerting pipeline' }];
    else if (!pipeline.receivers().includes(receiver)) results = [{ receiver, integration: '-', outcome: 'failure', error: `unknown receiver ${receiver}` }];
    else {
      results = await pipeline.notifyReceiver(receiver, {
        groupKey: `incident:${row.id}`,
        groupLabels: { incident_id: row.id },
        alerts: list,
        commonAnnotations: { ...links, incident_title: row.title },
      });
      if (results.length === 0) results = [{ receiver, integration: '-', outcome: 'failure', error: `receiver ${receiver} has no integrations` }];
    }
    if (stopped) return;
    await exclusive(() =>
      options.store.transaction(async (tx) => {
        for (const r of results) {
          await entry(tx, row.id, {
            actor: SYSTEM_ACTOR,
            kind: 'notification',
            text: r.outcome === 'success' ? `escalation notified ${r.receiver} via ${r.integration}` : `escalation notification to ${r.receiver} via ${r.integration} failed${r.error ? `: ${r.error}` : ''}`,
            data: { receiver: r.receiver, integration: r.integration, outcome: r.outcome, escalation: true, ...(r.error ? { error: r.error } : {}) },
          });
        }
      }),
    );
  };

  const autoResolve = (id: string): Promise<void> =>
    exclusive(async () => {
      if (stopped) return;
      const row = await repo.get(id);
      if (!row || row.resolved_at !== null || row.alerts_clear_at === null) return;
      const now = clock.now();
      if (now < row.alerts_clear_at + config.resolve_grace_ms) return arm(row);
      const next: IncidentRow = { ...row, status: 'resolved', resolved_at: now, escalation_next_at: null, updated_at: now };
      const won = await options.store.transaction(async (tx) => {
        if (!(await repo.updateIfUnchanged(tx, next, row.updated_at))) return false;
        await entry(tx, id, { actor: SYSTEM_ACTOR, kind: 'resolved', text: `resolved automatically: all alerts resolved for ${fmtDuration(config.resolve_grace_ms)}` });
        return true;
      });
      if (!won) {
        const fresh = await repo.get(id);
        if (fresh) arm(fresh);
        return;
      }
      disarm(id);
      remember(next);
      await emit(next);
    });

  // An escalation chain naming a receiver the alerting config lacks would only fail when due: say it now.
  const checkChains = (): void => {
    if (!pipeline) return;
    const known = new Set(pipeline.receivers());
    const chains = [config.escalation, ...config.open_when.map((p) => p.escalation)].filter((e): e is EscalationConfig => e !== undefined);
    const missing = [...new Set(chains.flatMap((e) => e.chain).filter((r) => !known.has(r)))];
    if (missing.length > 0) log(`incidents: escalation chain names receivers missing from the alerting config: ${missing.join(', ')}`);
  };

  // ---- manual actions ----
  const mutate = (id: string, fn: (row: IncidentRow, tx: StateQueryable, now: number) => Promise<IncidentRow | undefined>): Promise<Incident> =>
    exclusive(async () => {
      const row = await load(id);
      const now = clock.now();
      const next = await options.store.transaction(async (tx) => {
        const n = await fn(row, tx, now);
        if (n) await repo.update(tx, { ...n, updated_at: now });
        return n;
      });
      if (next) {
        remember(next);
        arm(next);
        await emit(next);
      }
      return view(next ?? row);
    });

  const text = (t: unknown, what: string, max = 10_000): string => {
    if (typeof t !== 'string' || t.trim() === '') throw invalid(`${what} must be a non-empty string`);
    if (t.length > max) throw invalid(`${what} is longer than ${max} characters`);
    return t.trim();
  };

  const service: IncidentService = {
    async list(filter = {}) {
      const rows = await repo.list(filter);
      const counts = await repo.alertCounts(rows.map((r) => r.id));
      return rows.map((r) => toSummary(r, counts.get(r.id) ?? 0));
    },
    async get(id) {
      return view(await load(id));
    },
    open(input, actor) {
      const title = text(input.title, 'title', 300);
      if (!isSeverity(input.severity)) throw invalid('severity must be one of critical, high, warning, info');
      const svc = input.service === undefined ? '' : text(input.service, 'service', 200);
      const summary = input.summary === undefined ? '' : typeof input.summary === 'string' ? input.summary : (() => { throw invalid('summary must be a string'); })();
      return exclusive(async () => {
        const now = clock.now();
        const labels: Labels = { alertname: title, severity: input.severity, ...(svc ? { service: svc } : {}) };
        const pb = matchingPlaybook(playbooks, [labels]);
        const row = newRow(
          { title, summary, severity: input.severity, severity_manual: true, service: svc, opened_at: now, is_public: input.public === true, playbook: pb ? { name: pb.name, steps: pb.steps.map((s) => ({ ...s })) } : null },
          escalationFor(matchingPolicy(policies, [labels])),
        );
        await options.store.transaction(async (tx) => {
          await repo.insert(tx, row);
          await entry(tx, row.id, { at: now, actor, kind: 'opened', text: `opened by ${actor}` });
          if (pb) await entry(tx, row.id, { at: now, actor: SYSTEM_ACTOR, kind: 'playbook_step', text: `playbook ${pb.name} attached (${pb.steps.length} steps)`, data: { playbook: pb.name } });
        });
        arm(row);
        await emit(row);
        afterOpen(row, [labels]);
        return view(row);
      });
    },
    acknowledge: (id, actor) =>
      mutate(id, async (row, tx, now) => {
        if (row.status === 'resolved') throw invalid(`incident ${id} is resolved; it cannot be acknowledged`);
        if (row.status === 'acknowledged') return undefined;
        await entry(tx, id, { at: now, actor, kind: 'acknowledged', text: `acknowledged by ${actor}${row.escalation_next_at !== null ? ' (escalation stopped)' : ''}` });
        return { ...row, status: 'acknowledged', acknowledged_at: now, acknowledged_by: actor, escalation_next_at: null };
      }),
    resolve: (id, actor) =>
      mutate(id, async (row, tx, now) => {
        if (row.status === 'resolved') return undefined;
        await entry(tx, id, { at: now, actor, kind: 'resolved', text: `resolved by ${actor}` });
        return { ...row, status: 'resolved', resolved_at: now, escalation_next_at: null };
      }),
    addNote(id, note, actor) {
      const t = text(note, 'text');
      return mutate(id, async (row, tx, now) => {
        await entry(tx, id, { at: now, actor, kind: 'note', text: t });
        return row;
      });
    },
    completeStep(id, index, actor) {
      if (!Number.isInteger(index) || index < 1) throw invalid('step index must be an integer from 1');
      return mutate(id, async (row, tx, now) => {
        if (!row.playbook) throw invalid(`incident ${id} has no playbook`);
        const step = row.playbook.steps[index - 1];
        if (!step) throw invalid(`playbook ${row.playbook.name} has ${row.playbook.steps.length} steps; there is no step ${index}`);
        if (step.done_at !== undefined) return undefined;
        const steps = row.playbook.steps.map((s, i) => (i === index - 1 ? { ...s, done_by: actor, done_at: now } : s));
        await entry(tx, id, { at: now, actor, kind: 'playbook_step', text: `step ${index} done: ${step.title}`, data: { playbook: row.playbook.name, index } });
        return { ...row, playbook: { ...row.playbook, steps } };
      });
    },
    addPublicUpdate(id, update, actor) {
      const statuses: PublicUpdateStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
      if (!statuses.includes(update.status)) throw invalid(`status must be one of ${statuses.join(', ')}`);
      const t = text(update.text, 'text', 5_000);
      return mutate(id, async (row, tx, now) => {
        await repo.addPublicUpdate(tx, id, { at: now, status: update.status, text: t });
        await entry(tx, id, { at: now, actor, kind: 'public_update', text: `public update (${update.status}): ${t}`, data: { status: update.status } });
        return { ...row, is_public: true };
      });
    },
    async stats(from, to) {
      const rows: StatsRow[] = await repo.stats(from, to);
      const sec = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);
      return rows.map((r) => ({ service: r.service, severity: r.severity, count: r.count, mtta_seconds: sec(r.mtta_ms), mttr_seconds: sec(r.mttr_ms) }));
    },
    async publicIncidents() {
      const since = clock.now() - 7 * 86_400_000;
      const rows = await repo.publicSince(since);
      return Promise.all(rows.map(async (r) => toPublicIncident(r, await repo.publicUpdates(r.id))));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    attach(p) {
      unsubscribe?.();
      unsubscribe = undefined;
      pipeline = p;
      if (p) {
        const offEvents = p.subscribe(onEvent);
        const offLinks = p.annotateNotifications((groupKey) => {
          const id = activeByGroup.get(groupKey);
          return id ? linksFor(id) : undefined;
        });
        unsubscribe = () => {
          offEvents();
          offLinks();
        };
      }
      checkChains();
    },
    applyConfig(c) {
      compile(c);
      checkChains();
    },
    async idle() {
      for (let i = 0; i < 50; i++) {
        await queue;
        if (background.size === 0) break;
        await Promise.allSettled([...background]);
      }
      await queue;
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      for (const id of [...timers.keys()]) disarm(id);
      await queue;
    },
  };

  if (options.pipeline) service.attach(options.pipeline);
  for (const row of await repo.withDeadlines()) arm(row);
  for (const row of await repo.groupHeads(clock.now() - Math.max(config.reopen_window_ms, 86_400_000))) remember(row);
  return service;
}
