import type { Integration } from '../../notify/contract.js';
import type { AlertingClock, TimerHandle } from '../clock.js';
import type { AlertmanagerConfig } from '../config/types.js';
import type { Inhibitor } from '../inhibit/inhibitor.js';
import { needsUpdate, type NotificationLog } from '../nflog/nflog.js';
import type { AlertingRepository } from '../persist/alerting-repository.js';
import { buildRouteTree, groupLabels, labelSetString, matchRoutes, walkRoutes, type RouteNode } from '../route/route-tree.js';
import type { Silences } from '../silence/silences.js';
import { anyIntervalContains } from '../timeinterval/time-interval.js';
import { isResolved, type Alert } from '../types.js';
import type { Deliverer } from './deliverer.js';
import type { AlertingLogger } from './logger.js';
import { buildNotificationData } from './notification-data.js';

/** One aggregation group: the alerts of one route with equal group labels. */
export interface AggregationGroup {
  readonly id: string;
  /** Alertmanager's group key: `<route key>:<group labels>`. */
  readonly key: string;
  readonly route: RouteNode;
  readonly labels: Readonly<Record<string, string>>;
  readonly alerts: Map<string, Alert>;
  timer?: TimerHandle;
  hasFlushed: boolean;
}

/** Options of the dispatcher. */
export interface DispatcherOptions {
  readonly config: AlertmanagerConfig;
  readonly clock: AlertingClock;
  readonly repo: AlertingRepository | undefined;
  readonly silences: Silences;
  readonly inhibitor: Inhibitor;
  readonly nflog: NotificationLog;
  readonly deliverer: Deliverer;
  /** Integrations of each receiver, by receiver name. */
  readonly integrations: ReadonlyMap<string, readonly Integration[]>;
  readonly externalURL: string;
  readonly sendResolvedWhenMuted: boolean;
  readonly logger: AlertingLogger;
  readonly onNotify?: (receiver: string, integration: string) => void;
  /** Called when a group is flushed, with its alerts (firing and resolved) at that moment; must not throw. */
  readonly onFlush?: (group: AggregationGroup, alerts: readonly Alert[], now: number) => void;
  /** Extra common annotations for a group's notifications (e.g. incident links); must not throw. */
  readonly annotate?: (groupKey: string) => Readonly<Record<string, string>> | undefined;
  /** Called with the fingerprints of alerts dropped after their resolved notification. */
  readonly onRemoved?: (fingerprints: readonly string[]) => void;
}

/** Key of one integration of a receiver in the nflog and pending tables: `receiver/integration/index`. */
export function receiverKey(receiver: string, integration: Pick<Integration, 'name' | 'index'>): string {
  return `${receiver}/${integration.name}/${integration.index}`;
}

/**
 * The dispatcher (Alertmanager's `dispatch.Dispatcher` + aggregation groups + notification pipeline):
 * routes alerts into groups, flushes each group after group_wait and then every group_interval,
 * filters muted alerts, asks the nflog whether each integration needs a notification and hands
 * those to the deliverer. Resolved alerts leave their group once delivered.
 */
export class Dispatcher {
  readonly alerts = new Map<string, Alert>();
  readonly groups = new Map<string, AggregationGroup>();
  readonly root: RouteNode;
  private readonly alertGroups = new Map<string, Set<string>>();
  private readonly routeCount = new Map<string, number>();
  private stopped = false;

  constructor(private readonly o: DispatcherOptions) {
    this.root = buildRouteTree(o.config.route);
  }

  /** All route nodes. */
  routes(): RouteNode[] {
    return walkRoutes(this.root);
  }

  /** Inserts (already merged) alerts: indexes them for inhibition and puts them into their groups. */
  insert(alerts: readonly Alert[]): void {
    for (const a of alerts) {
      this.alerts.set(a.fingerprint, a);
      this.o.inhibitor.observe(a);
      // Fast path for a re-sent alert: its label set (hence its routes and groups) is unchanged.
      const ids = this.alertGroups.get(a.fingerprint);
      if (ids && ids.size === this.routeCount.get(a.fingerprint) && this.refresh(ids, a)) continue;
      const routes = matchRoutes(this.root, a.labels);
      this.routeCount.set(a.fingerprint, routes.length);
      for (const route of routes) this.addToGroup(route, a);
    }
  }

  /** Stops all group timers. */
  stop(): void {
    this.stopped = true;
    for (const g of this.groups.values()) if (g.timer) this.o.clock.clearTimer(g.timer);
  }

  /** Receivers an alert is routed to (deduplicated, in route order). */
  receiversOf(a: Alert): string[] {
    return [...new Set(matchRoutes(this.root, a.labels).map((r) => r.config.receiver))];
  }

  /** Puts a known alert's new version into the groups it is already in; false when one is gone. */
  private refresh(ids: ReadonlySet<string>, a: Alert): boolean {
    const groups: AggregationGroup[] = [];
    for (const id of ids) {
      const g = this.groups.get(id);
      if (!g) return false;
      groups.push(g);
    }
    const now = this.o.clock.now();
    for (const g of groups) {
      g.alerts.set(a.fingerprint, a);
      if (!g.hasFlushed && a.startsAt + g.route.config.groupWaitMs < now) this.schedule(g, 0);
    }
    return true;
  }

  private addToGroup(route: RouteNode, a: Alert): void {
    const labels = groupLabels(route.config, a.labels);
    const ls = labelSetString(labels);
    const id = `${route.id}\u0000${ls}`;
    let g = this.groups.get(id);
    const now = this.o.clock.now();
    if (!g) {
      g = { id, key: `${route.key}:${ls}`, route, labels, alerts: new Map(), hasFlushed: false };
      this.groups.set(id, g);
      this.schedule(g, route.config.groupWaitMs);
    }
    g.alerts.set(a.fingerprint, a);
    let set = this.alertGroups.get(a.fingerprint);
    if (!set) this.alertGroups.set(a.fingerprint, (set = new Set()));
    set.add(id);
    // An alert that started longer than group_wait ago is flushed at once (Alertmanager does the same).
    if (!g.hasFlushed && a.startsAt + route.config.groupWaitMs < now) this.schedule(g, 0);
  }

  private schedule(g: AggregationGroup, ms: number): void {
    if (this.stopped) return;
    if (g.timer) this.o.clock.clearTimer(g.timer);
    g.timer = this.o.clock.setTimer(() => {
      g.timer = undefined;
      if (!this.groups.has(g.id)) return;
      g.hasFlushed = true;
      this.schedule(g, g.route.config.groupIntervalMs);
      void this.flush(g).catch((err: unknown) => this.o.logger.error({ group: g.key, err: (err as Error).message }, 'flush failed'));
    }, ms);
  }

  /** Whether the route is muted by its time intervals now. */
  private timeMuted(route: RouteNode, now: number): boolean {
    const at = new Date(now);
    const ti = this.o.config.timeIntervals;
    for (const name of route.config.muteTimeIntervals) if (anyIntervalContains(ti.get(name) ?? [], at)) return true;
    if (route.config.activeTimeIntervals.length > 0) {
      const active = route.config.activeTimeIntervals.some((name) => anyIntervalContains(ti.get(name) ?? [], at));
      if (!active) return true;
    }
    return false;
  }

  /** Flushes a group now: decides per integration what to send and hands it to the deliverer. */
  async flush(g: AggregationGroup): Promise<void> {
    const now = this.o.clock.now();
    const snapshot = [...g.alerts.values()].sort(compareAlerts);
    const receiver = g.route.config.receiver;
    this.o.onFlush?.(g, snapshot, now);
    const deliveries: Promise<boolean>[] = [];
    if (!this.timeMuted(g.route, now)) {
      const muted = new Set<string>();
      for (const a of snapshot) {
        if (this.o.silences.mutedBy(a.labels).length > 0 || this.o.inhibitor.mutedBy(a.labels, a.fingerprint, now).length > 0) muted.add(a.fingerprint);
      }
      for (const integration of this.o.integrations.get(receiver) ?? []) {
        const rk = receiverKey(receiver, integration);
        const entry = this.o.nflog.get(rk, g.key);
        const kept = snapshot.filter(
          (a) => !muted.has(a.fingerprint) || (this.o.sendResolvedWhenMuted && isResolved(a, now) && entry !== undefined && entry.firingSet.has(a.fingerprint)),
        );
        if (kept.length === 0) continue;
        const firing: string[] = [];
        const resolved: string[] = [];
        for (const a of kept) (isResolved(a, now) ? resolved : firing).push(a.fingerprint);
        if (!needsUpdate(entry, firing, resolved, integration.sendResolved, g.route.config.repeatIntervalMs, now)) continue;
        const toSend = integration.sendResolved ? kept : kept.filter((a) => !isResolved(a, now));
        if (toSend.length === 0) {
          // Nothing to send to an integration without send_resolved: record it as Alertmanager does.
          const e = { receiverKey: rk, groupKey: g.key, firing, resolved, sentAt: now };
          this.o.nflog.set(e);
          await this.o.repo?.completePending(e, -1);
          continue;
        }
        let data = buildNotificationData(receiver, g.key, g.labels, toSend, this.o.externalURL, now);
        const extra = this.o.annotate?.(g.key);
        if (extra) data = { ...data, commonAnnotations: { ...data.commonAnnotations, ...extra } };
        this.o.onNotify?.(receiver, integration.name);
        deliveries.push(this.o.deliverer.submit({ receiverKey: rk, groupKey: g.key, receiver, integration, data, firing, resolved }));
      }
    }
    const results = await Promise.all(deliveries);
    if (results.every(Boolean)) this.removeResolved(g, snapshot);
  }

  private removeResolved(g: AggregationGroup, snapshot: readonly Alert[]): void {
    const now = this.o.clock.now();
    const gone: string[] = [];
    for (const a of snapshot) {
      if (!isResolved(a, now) || g.alerts.get(a.fingerprint) !== a) continue;
      g.alerts.delete(a.fingerprint);
      const set = this.alertGroups.get(a.fingerprint);
      set?.delete(g.id);
      if (set && set.size === 0 && this.alerts.get(a.fingerprint) === a) {
        this.alertGroups.delete(a.fingerprint);
        this.routeCount.delete(a.fingerprint);
        this.alerts.delete(a.fingerprint);
        this.o.inhibitor.forget(a.fingerprint);
        gone.push(a.fingerprint);
      }
    }
    if (g.alerts.size === 0 && this.groups.get(g.id) === g) {
      if (g.timer) this.o.clock.clearTimer(g.timer);
      this.groups.delete(g.id);
    }
    if (gone.length > 0) this.o.onRemoved?.(gone);
    if (gone.length > 0) void this.o.repo?.deleteAlerts(gone).catch((err: unknown) => this.o.logger.error({ err: (err as Error).message }, 'cannot delete resolved alerts'));
  }
}

function compareAlerts(a: Alert, b: Alert): number {
  const x = labelSetString(a.labels);
  const y = labelSetString(b.labels);
  return x < y ? -1 : x > y ? 1 : a.startsAt - b.startsAt;
}
