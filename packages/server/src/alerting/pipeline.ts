import type { Registry } from 'prom-client';
import type { Integration, NotificationAlert, NotificationData } from '../notify/contract.js';
import { createIntegrations, createNotifyMetrics, deliverWithRetry, type IntegrationDeps, type NotifyMetrics, type ReceiverIntegrations } from '../notify/index.js';
import type { StateStore } from '../state/types.js';
import { createSystemClock, type AlertingClock } from './clock.js';
import type { AlertmanagerConfig, ReceiverConfig } from './config/types.js';
import { Deliverer, type DeliverFn } from './dispatch/deliverer.js';
import { Dispatcher, receiverKey } from './dispatch/dispatcher.js';
import { createNotifierFetch, type NotifierFetch } from './dispatch/notifier-fetch.js';
import { silentLogger, type AlertingLogger } from './dispatch/logger.js';
import { AlertValidationError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { createForwarder, type Forwarder, type ForwardOptions } from './forward/forwarder.js';
import { Inhibitor } from './inhibit/inhibitor.js';
import { createAlertingMetrics, type AlertingMetrics } from './metrics.js';
import { NotificationLog } from './nflog/nflog.js';
import { createAlertingRepository, type AlertingRepository } from './persist/alerting-repository.js';
import { silenceState, Silences, type Silence, type SilenceInput, type SilenceState } from './silence/silences.js';
import { parseRfc3339 } from './time-format.js';
import { isResolved, type Alert, type PostableAlert } from './types.js';

/** Builds the integrations of one receiver (the notifiers' `createIntegrations`). */
export type IntegrationsFactory = (receiver: ReceiverConfig) => Integration[];

/** Options of {@link createAlertingPipeline}. */
export interface AlertingPipelineOptions {
  /** The parsed alertmanager.yml ({@link parseAlertmanagerConfig}). */
  readonly config: AlertmanagerConfig;
  /** Where alerts, silences, the nflog and pending notifications persist; without one, state is in memory only. */
  readonly store?: StateStore;
  /** Time source and scheduler (default: the system clock). */
  readonly clock?: AlertingClock;
  /**
   * Builds each receiver's integrations; default: the notifiers' `createIntegrations` on the
   * receiver configs the config parser validated, with `notifierDeps`.
   */
  readonly integrationsFactory?: IntegrationsFactory;
  /**
   * Dependencies of the default integrations (templates, fetch, logger…); `externalURL` comes from
   * this object's option. Default `fetch`: keep-alive, at most 32 connections per origin.
   */
  readonly notifierDeps?: Omit<IntegrationDeps, 'externalURL'>;
  /**
   * Delivers one notification with retries; default: the notifiers' `deliverWithRetry` on this
   * pipeline's clock, retrying until it succeeds, a failure is permanent, or the pipeline stops.
   */
  readonly deliver?: DeliverFn;
  /** Notifier metrics for the default `deliver`; default: created on `metricsRegistry` when given. */
  readonly notifyMetrics?: NotifyMetrics;
  /** prom-client registry for `alertmanager_*` metrics. */
  readonly metricsRegistry?: Registry;
  readonly logger?: AlertingLogger;
  /** URL of this Vigil as users reach it (`.ExternalURL` in templates). */
  readonly externalURL?: string;
  /**
   * Deliver the resolved notification of an alert that was notified as firing even when it is
   * silenced or inhibited by the time it resolves (default true; Alertmanager's behaviour is false).
   */
  readonly sendResolvedWhenMuted?: boolean;
  /** Forwarding mode: send alerts to external Alertmanager(s) instead of routing them here. */
  readonly forward?: ForwardOptions;
}

/** An alert with its routing and mute status, as `GET /api/v2/alerts` reports it. */
export interface AlertView {
  readonly alert: Alert;
  readonly receivers: readonly string[];
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
  readonly state: 'active' | 'suppressed' | 'unprocessed';
}

/** One aggregation group as `GET /api/v2/alerts/groups` reports it. */
export interface AlertGroupView {
  readonly labels: Readonly<Record<string, string>>;
  readonly receiver: string;
  readonly alerts: readonly AlertView[];
}

/** One alert of a group as {@link AlertingEvent}s report it, with its status at the event's time. */
export interface AlertingEventAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly status: 'firing' | 'resolved';
  /** Silenced or inhibited at the event's time. */
  readonly suppressed: boolean;
  /** ms since the epoch. */
  readonly startsAt: number;
  readonly endsAt: number;
}

/**
 * What the pipeline tells subscribers: `group` each time an aggregation group is flushed (after
 * group_wait, then every group_interval; firing and resolved alerts, muted or not), `notification`
 * each time a notification to one integration of a receiver was delivered or given up.
 */
export type AlertingEvent =
  | {
      readonly type: 'group';
      readonly at: number;
      /** Alertmanager's group key: `<route key>:<group labels>`. */
      readonly groupKey: string;
      readonly receiver: string;
      readonly groupLabels: Readonly<Record<string, string>>;
      readonly alerts: readonly AlertingEventAlert[];
    }
  | {
      readonly type: 'notification';
      readonly at: number;
      readonly groupKey: string;
      readonly receiver: string;
      /** Integration type (webhook, slack…). */
      readonly integration: string;
      readonly outcome: 'success' | 'failure';
      /** Why it failed (never carries a secret: notifier errors are redacted). */
      readonly error?: string;
      readonly firing: number;
      readonly resolved: number;
    };

/** A notification {@link AlertingPipeline.notifyReceiver} sends outside the route tree. */
export interface DirectNotification {
  readonly groupKey: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly NotificationAlert[];
  /** Added to the common annotations (e.g. acknowledge/resolve links). */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /** Give up retrying after this long on the pipeline's clock (default 5 minutes). */
  readonly timeoutMs?: number;
}

/** Outcome of one integration of a direct notification. */
export interface DirectNotificationResult {
  readonly receiver: string;
  readonly integration: string;
  readonly outcome: 'success' | 'failure';
  readonly error?: string;
}

/**
 * The alerting pipeline: alert intake, routing, grouping, inhibition, silences, deduplicated and
 * durable notification — or forwarding to an external Alertmanager. The `vigil` server and the
 * embedded `createMonitor()` both create one and mount {@link createAlertmanagerApiPlugin} on it.
 */
export interface AlertingPipeline {
  readonly config: AlertmanagerConfig;
  /** When the pipeline started (ms since the epoch). */
  readonly startedAt: number;
  /**
   * Accepts alerts as Prometheus posts them: fills startsAt/endsAt like Alertmanager, merges with the
   * known alert of the same fingerprint, routes, and queues them for the store (group commit, written
   * within milliseconds, off the request path). Valid alerts are accepted even when others
   * in the batch are not; then it throws AlertValidationError listing the invalid ones.
   */
  receive(alerts: readonly PostableAlert[]): Promise<void>;
  /** Current (unresolved) alerts with their status. */
  alerts(): AlertView[];
  /** Aggregation groups with their current alerts. */
  groups(): AlertGroupView[];
  /** Creates or updates a silence; returns its id. Throws SilenceError when invalid or unknown. */
  putSilence(input: SilenceInput): Promise<string>;
  /** Expires a silence. Throws SilenceError when unknown or already expired. */
  expireSilence(id: string): Promise<void>;
  getSilence(id: string): (Silence & { state: SilenceState }) | undefined;
  listSilences(): (Silence & { state: SilenceState })[];
  /** Receiver names from the config. */
  receivers(): string[];
  /**
   * Subscribes to group flushes and notification outcomes (see {@link AlertingEvent}); returns the
   * unsubscribe function. A listener that throws is ignored: it never changes what the pipeline does.
   */
  subscribe(listener: (event: AlertingEvent) => void): () => void;
  /**
   * Sends one notification to every integration of the named receiver, bypassing routing and the
   * notification log (escalations); retries like routed notifications until `timeoutMs` and resolves
   * with each integration's outcome. Throws `AlertValidationError` when the receiver is unknown.
   */
  notifyReceiver(receiver: string, notification: DirectNotification): Promise<DirectNotificationResult[]>;
  /**
   * Adds common annotations to routed notifications: `fn(groupKey)` is asked (synchronously, right
   * after the group's `group` event) while each notification is built. Returns the removal function.
   */
  annotateNotifications(fn: (groupKey: string) => Readonly<Record<string, string>> | undefined): () => void;
  /** Resolves when no notification delivery or forward is in progress (tests). */
  idle(): Promise<void>;
  /** Stops timers and deliveries; undelivered notifications stay pending in the store. */
  stop(): Promise<void>;
}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function sameRecord(x: Readonly<Record<string, string>>, y: Readonly<Record<string, string>>): boolean {
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (x[k] !== y[k]) return false;
  return true;
}

/** Whether a received alert must be written to the store (anything but a small endsAt extension). */
function needsWrite(old: Alert | undefined, a: Alert, storedEndsAt: number | undefined, now: number): boolean {
  if (!old || storedEndsAt === undefined) return true;
  if (old.startsAt !== a.startsAt || old.timeout !== a.timeout || old.generatorURL !== a.generatorURL) return true;
  if (!sameRecord(old.annotations, a.annotations)) return true;
  if (a.endsAt <= now || a.endsAt < storedEndsAt) return true;
  return storedEndsAt - now < (a.endsAt - now) / 2;
}

function validate(a: PostableAlert, i: number): string | undefined {
  if (a === null || typeof a !== 'object' || a.labels === null || typeof a.labels !== 'object') return `alert ${i}: labels missing`;
  const names = Object.keys(a.labels);
  if (names.length === 0) return `alert ${i}: at least one label pair required`;
  for (const n of names) {
    if (!labelName.test(n)) return `alert ${i}: invalid label set: invalid name ${JSON.stringify(n)}`;
    if (typeof a.labels[n] !== 'string') return `alert ${i}: invalid label set: invalid value for ${n}`;
  }
  for (const [k, v] of Object.entries(a.annotations ?? {})) {
    if (!labelName.test(k)) return `alert ${i}: invalid annotations: invalid name ${JSON.stringify(k)}`;
    if (typeof v !== 'string') return `alert ${i}: invalid annotations: invalid value for ${k}`;
  }
  return undefined;
}

function commonOf(sets: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out: Record<string, string> = { ...sets[0] };
  for (const s of sets.slice(1)) for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
  return out;
}

/** Alertmanager's merge of two versions of one alert (`types.Alert.Merge`). */
function merge(a: Alert, o: Alert, now: number): Alert {
  if (o.updatedAt < a.updatedAt) return merge(o, a, now);
  let startsAt = o.startsAt;
  let endsAt = o.endsAt;
  if (a.startsAt < o.startsAt) startsAt = a.startsAt;
  if (isResolved(o, now)) {
    if (isResolved(a, now) && a.endsAt > o.endsAt) endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    endsAt = a.endsAt;
  }
  return { ...o, startsAt, endsAt };
}

/**
 * Creates the alerting pipeline, restoring alerts, silences, the notification log and pending
 * notifications from the store, and resuming pending deliveries at once.
 *
 * @example
 * const config = await loadAlertmanagerConfig('alertmanager.yml');
 * const store = createSqliteStateStore({ path: 'data/state.db' });
 * const pipeline = await createAlertingPipeline({ config, store, integrationsFactory: (r) => createIntegrations(...) });
 * app.register(createAlertmanagerApiPlugin({ pipeline }));
 */
export async function createAlertingPipeline(options: AlertingPipelineOptions): Promise<AlertingPipeline> {
  const { config } = options;
  const clock = options.clock ?? createSystemClock();
  const logger = options.logger ?? silentLogger;
  const repo: AlertingRepository | undefined = options.store ? await createAlertingRepository(options.store) : undefined;
  const snapshot = repo ? await repo.load() : { alerts: [], silences: [], nflog: [], pending: [] };

  const silences = new Silences(clock, repo ? { save: (s) => repo.saveSilence(s), delete: (id) => repo.deleteSilence(id) } : undefined);
  silences.load(snapshot.silences);
  const inhibitor = new Inhibitor(config.inhibitRules);
  const nflog = new NotificationLog();
  nflog.load(snapshot.nflog);

  const integrations = new Map<string, Integration[]>();
  const byKey = new Map<string, Integration>();
  const externalURL = options.externalURL ?? '';
  // Default HTTP client of the notifiers: pooled keep-alive connections per origin.
  const ownFetch: NotifierFetch | undefined = options.integrationsFactory || options.notifierDeps?.fetch ? undefined : createNotifierFetch();
  const factory: IntegrationsFactory =
    options.integrationsFactory ??
    ((r) =>
      r.integrations
        ? createIntegrations(r.integrations as ReceiverIntegrations, {
            ...(ownFetch ? { fetch: ownFetch.fetch } : {}),
            ...options.notifierDeps,
            externalURL,
            clock: options.notifierDeps?.clock ?? clock,
          })
        : []);
  for (const r of config.receivers) {
    const list = factory(r);
    integrations.set(r.name, list);
    for (const i of list) byKey.set(receiverKey(r.name, i), i);
  }

  // endsAt last queued for the store, per alert: a re-send that only pushes endsAt a little further
  // out is not written again until the stored endsAt is within half of the new horizon.
  const persistedEndsAt = new Map<string, number>();
  for (const a of snapshot.alerts) persistedEndsAt.set(a.fingerprint, a.endsAt);
  let metrics: AlertingMetrics | undefined;
  const notifyMetrics = options.notifyMetrics ?? (options.deliver || !options.metricsRegistry ? undefined : createNotifyMetrics(options.metricsRegistry));
  const deliver: DeliverFn =
    options.deliver ??
    (async (integration, data, { signal }) => {
      await deliverWithRetry(integration, data, { signal, clock, ...(notifyMetrics ? { metrics: notifyMetrics } : {}) });
    });
  const listeners = new Set<(event: AlertingEvent) => void>();
  const annotators = new Set<(groupKey: string) => Readonly<Record<string, string>> | undefined>();
  const emit = (event: AlertingEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'alerting event listener failed');
      }
    }
  };
  const deliverer = new Deliverer(clock, repo, nflog, deliver, logger, (job, ok, error) => {
    if (listeners.size === 0) return;
    emit({
      type: 'notification',
      at: clock.now(),
      groupKey: job.groupKey,
      receiver: job.receiver,
      integration: job.integration.name,
      outcome: ok ? 'success' : 'failure',
      ...(error !== undefined ? { error } : {}),
      firing: job.firing.length,
      resolved: job.resolved.length,
    });
  });
  const dispatcher = new Dispatcher({
    config,
    clock,
    repo,
    silences,
    inhibitor,
    nflog,
    deliverer,
    integrations,
    externalURL,
    sendResolvedWhenMuted: options.sendResolvedWhenMuted ?? true,
    logger,
    onNotify: (_r, integration) => metrics?.notification(integration),
    annotate: (groupKey) => {
      if (annotators.size === 0) return undefined;
      let out: Record<string, string> | undefined;
      for (const fn of annotators) {
        try {
          const extra = fn(groupKey);
          if (extra) out = { ...out, ...extra };
        } catch (err) {
          logger.error({ err: (err as Error).message }, 'notification annotator failed');
        }
      }
      return out;
    },
    onFlush: (g, alerts, now) => {
      if (listeners.size === 0) return;
      emit({
        type: 'group',
        at: now,
        groupKey: g.key,
        receiver: g.route.config.receiver,
        groupLabels: g.labels,
        alerts: alerts.map((a) => ({
          fingerprint: a.fingerprint,
          labels: a.labels,
          annotations: a.annotations,
          status: isResolved(a, now) ? 'resolved' : 'firing',
          suppressed: view(a, now).state === 'suppressed',
          startsAt: a.startsAt,
          endsAt: a.endsAt,
        })),
      });
    },
    onRemoved: (fps) => {
      for (const fp of fps) persistedEndsAt.delete(fp);
    },
  });
  const forwarder: Forwarder | undefined = options.forward ? createForwarder(options.forward, clock, logger) : undefined;

  const view = (a: Alert, now: number): AlertView => {
    const silencedBy = silences.mutedBy(a.labels);
    const inhibitedBy = inhibitor.mutedBy(a.labels, a.fingerprint, now);
    return {
      alert: a,
      receivers: dispatcher.receiversOf(a),
      silencedBy,
      inhibitedBy,
      state: silencedBy.length > 0 || inhibitedBy.length > 0 ? 'suppressed' : 'active',
    };
  };

  if (options.metricsRegistry) {
    metrics = createAlertingMetrics(options.metricsRegistry, {
      alerts: () => dispatcher.alerts.values(),
      now: () => clock.now(),
      suppressed: (a) => view(a, clock.now()).state === 'suppressed',
      silenceStates: () => {
        const out = { active: 0, pending: 0, expired: 0 };
        const now = clock.now();
        for (const s of silences.list()) out[silenceState(s, now)]++;
        return out;
      },
    });
  }

  if (!forwarder) {
    dispatcher.insert(snapshot.alerts);
    deliverer.restore(snapshot.pending, (k) => byKey.get(k));
  } else {
    for (const a of snapshot.alerts) dispatcher.alerts.set(a.fingerprint, a);
  }
  const gcTimer = { h: clock.setTimer(function gc() {
    const before = clock.now() - 120 * 3_600_000;
    nflog.gc(before);
    if (forwarder) {
      // Forwarding keeps alerts only for the API: drop the ones resolved more than 15 minutes ago.
      const gone: string[] = [];
      for (const a of dispatcher.alerts.values()) if (isResolved(a, clock.now() - 15 * 60_000)) gone.push(a.fingerprint);
      for (const fp of gone) {
        dispatcher.alerts.delete(fp);
        persistedEndsAt.delete(fp);
      }
      void repo?.deleteAlerts(gone).catch(() => undefined);
    }
    void repo?.gcNflog(before).catch(() => undefined);
    gcTimer.h = clock.setTimer(gc, 15 * 60_000);
  }, 15 * 60_000) };

  // Group commit of received alerts: written shortly after intake, many requests per transaction,
  // off the request path (Prometheus re-sends active alerts anyway; Alertmanager keeps them in memory only).
  const dirty = new Map<string, Alert>();
  let saving: Promise<void> | undefined;
  const saveDirty = async (): Promise<void> => {
    while (dirty.size > 0) {
      const batch = [...dirty.values()];
      dirty.clear();
      try {
        await repo?.saveAlerts(batch);
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'cannot persist alerts');
      }
    }
  };
  const scheduleSave = (): void => {
    if (!repo || saving) return;
    saving = new Promise<void>((resolve) => setImmediate(resolve))
      .then(saveDirty)
      .finally(() => {
        saving = undefined;
        if (dirty.size > 0) scheduleSave();
      });
  };

  // Direct notifications (escalations) in flight, so idle() and stop() can wait for / abort them.
  const direct = (() => {
    const abort = new AbortController();
    const running = new Set<Promise<unknown>>();
    return {
      signal: abort.signal,
      run<T>(fn: () => Promise<T>): Promise<T> {
        const p = fn();
        running.add(p);
        void p.then(
          () => running.delete(p),
          () => running.delete(p),
        );
        return p;
      },
      async idle() {
        while (running.size > 0) await Promise.allSettled([...running]);
      },
      stop() {
        abort.abort(new Error('alerting pipeline stopped'));
      },
    };
  })();

  const startedAt = clock.now();
  const withState = (s: Silence) => ({ ...s, state: silenceState(s, clock.now()) });

  return {
    config,
    startedAt,
    async receive(posted) {
      const now = clock.now();
      const errors: string[] = [];
      const accepted: Alert[] = [];
      posted.forEach((p, i) => {
        const err = validate(p, i);
        if (err) return void errors.push(err);
        let startsAt = parseRfc3339(p.startsAt);
        let endsAt = parseRfc3339(p.endsAt);
        if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return void errors.push(`alert ${i}: invalid startsAt or endsAt`);
        startsAt ??= endsAt ?? now;
        let timeout = false;
        if (endsAt === undefined) {
          timeout = true;
          endsAt = now + config.global.resolveTimeoutMs;
        }
        if (endsAt < startsAt) return void errors.push(`alert ${i}: start time must be before end time`);
        const labels = { ...p.labels };
        const fp = fingerprint(labels);
        let alert: Alert = {
          fingerprint: fp,
          labels,
          annotations: { ...(p.annotations ?? {}) },
          startsAt,
          endsAt,
          generatorURL: p.generatorURL ?? '',
          updatedAt: now,
          timeout,
        };
        const old = dispatcher.alerts.get(fp);
        // Merge only overlapping versions (Alertmanager's mem provider); a new episode replaces the old.
        if (old && ((alert.endsAt > old.startsAt && alert.endsAt < old.endsAt) || (alert.startsAt >= old.startsAt && alert.startsAt <= old.endsAt))) {
          alert = merge(old, alert, now);
        }
        metrics?.received(isResolved(alert, now) ? 'resolved' : 'firing');
        accepted.push(alert);
      });
      if (accepted.length > 0) {
        if (repo) {
          for (const a of accepted) {
            const old = dispatcher.alerts.get(a.fingerprint);
            if (!needsWrite(old, a, persistedEndsAt.get(a.fingerprint), now)) continue;
            dirty.set(a.fingerprint, a);
            persistedEndsAt.set(a.fingerprint, a.endsAt);
          }
          scheduleSave();
        }
        if (forwarder) {
          for (const a of accepted) dispatcher.alerts.set(a.fingerprint, a);
          forwarder.send(accepted);
        } else {
          dispatcher.insert(accepted);
        }
      }
      if (errors.length > 0) {
        metrics?.invalid(errors.length);
        throw new AlertValidationError(errors.join('; '));
      }
    },
    alerts() {
      const now = clock.now();
      const out: AlertView[] = [];
      for (const a of dispatcher.alerts.values()) if (!isResolved(a, now)) out.push(view(a, now));
      return out;
    },
    groups() {
      const now = clock.now();
      const out: AlertGroupView[] = [];
      for (const g of dispatcher.groups.values()) {
        const alerts = [...g.alerts.values()].filter((a) => !isResolved(a, now)).map((a) => view(a, now));
        if (alerts.length > 0) out.push({ labels: g.labels, receiver: g.route.config.receiver, alerts });
      }
      return out;
    },
    putSilence: (input) => silences.upsert(input),
    expireSilence: (id) => silences.expire(id),
    getSilence(id) {
      const s = silences.get(id);
      return s ? withState(s) : undefined;
    },
    listSilences: () => silences.list().map(withState),
    receivers: () => config.receivers.map((r) => r.name),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    annotateNotifications(fn) {
      annotators.add(fn);
      return () => void annotators.delete(fn);
    },
    async notifyReceiver(receiver, n) {
      const list = integrations.get(receiver);
      if (!list) throw new AlertValidationError(`unknown receiver ${JSON.stringify(receiver)}`);
      const data: NotificationData = {
        receiver,
        status: n.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
        alerts: n.alerts,
        groupLabels: { ...n.groupLabels },
        commonLabels: commonOf(n.alerts.map((a) => a.labels)),
        commonAnnotations: { ...commonOf(n.alerts.map((a) => a.annotations)), ...n.commonAnnotations },
        externalURL,
        groupKey: n.groupKey,
        truncatedAlerts: 0,
      };
      // Bounded retries: an escalation that cannot be delivered is reported, not retried forever.
      const timeoutMs = n.timeoutMs ?? 300_000;
      const ac = new AbortController();
      const onStop = (): void => ac.abort(direct.signal.reason);
      direct.signal.addEventListener('abort', onStop, { once: true });
      const timer = clock.setTimer(() => ac.abort(new Error('timed out')), timeoutMs);
      try {
        return await Promise.all(
          list.map(async (integration): Promise<DirectNotificationResult> => {
            try {
              await direct.run(() => deliver(integration, data, { signal: ac.signal }));
              return { receiver, integration: integration.name, outcome: 'success' };
            } catch (err) {
              const reason = ac.signal.aborted && !direct.signal.aborted ? `gave up after ${timeoutMs} ms` : (err as Error).message;
              return { receiver, integration: integration.name, outcome: 'failure', error: reason };
            }
          }),
        );
      } finally {
        clock.clearTimer(timer);
        direct.signal.removeEventListener('abort', onStop);
      }
    },
    async idle() {
      while (saving) await saving;
      await deliverer.idle();
      await forwarder?.idle();
      await direct.idle();
    },
    async stop() {
      clock.clearTimer(gcTimer.h);
      dispatcher.stop();
      deliverer.stop();
      direct.stop();
      forwarder?.stop();
      while (saving) await saving;
      await saveDirty();
      await deliverer.idle();
      await ownFetch?.close().catch(() => undefined);
    },
  };
}
