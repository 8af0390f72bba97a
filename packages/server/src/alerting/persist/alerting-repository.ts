import type { NotificationData } from '../../notify/contract.js';
import type { StateQueryable, StateStore } from '../../state/types.js';
import type { Silence } from '../silence/silences.js';
import type { Alert } from '../types.js';
import { ALERTING_MIGRATION_NAMESPACE, alertingMigrations } from './migrations.js';

/** One notification-log entry: what was last delivered to one integration for one group. */
export interface NflogEntry {
  readonly receiverKey: string;
  readonly groupKey: string;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly sentAt: number;
}

/** A notification accepted for delivery but not yet delivered (survives a restart). */
export interface PendingNotification {
  readonly receiverKey: string;
  readonly groupKey: string;
  readonly receiver: string;
  readonly data: NotificationData;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly version: number;
  readonly createdAt: number;
}

/** Everything the pipeline reads back at startup. */
export interface AlertingSnapshot {
  readonly alerts: Alert[];
  readonly silences: Silence[];
  readonly nflog: NflogEntry[];
  readonly pending: PendingNotification[];
}

/** Reads and writes the alerting tables of a state store. */
export interface AlertingRepository {
  load(): Promise<AlertingSnapshot>;
  saveAlerts(alerts: readonly Alert[]): Promise<void>;
  deleteAlerts(fingerprints: readonly string[]): Promise<void>;
  saveSilence(s: Silence): Promise<void>;
  deleteSilence(id: string): Promise<void>;
  putPending(p: PendingNotification): Promise<void>;
  /** Records a delivery: writes the nflog entry and removes the pending row if still at `version`, atomically. */
  completePending(entry: NflogEntry, version: number): Promise<void>;
  /** Drops a pending notification that cannot be delivered (non-retryable failure). */
  dropPending(receiverKey: string, groupKey: string, version: number): Promise<void>;
  /** Removes nflog entries sent before `before`. */
  gcNflog(before: number): Promise<void>;
}

const UPSERT_ALERT = `INSERT INTO vigil_am_alerts (fingerprint, labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (fingerprint) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations, starts_at = excluded.starts_at,
  ends_at = excluded.ends_at, updated_at = excluded.updated_at, generator_url = excluded.generator_url, timeout = excluded.timeout`;

const UPSERT_NFLOG = `INSERT INTO vigil_am_nflog (receiver_key, group_key, firing, resolved, sent_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (receiver_key, group_key) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, sent_at = excluded.sent_at`;

const UPSERT_PENDING = `INSERT INTO vigil_am_pending (receiver_key, group_key, receiver, payload, firing, resolved, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (receiver_key, group_key) DO UPDATE SET receiver = excluded.receiver, payload = excluded.payload, firing = excluded.firing,
  resolved = excluded.resolved, version = excluded.version`;

const DELETE_PENDING = 'DELETE FROM vigil_am_pending WHERE receiver_key = $1 AND group_key = $2 AND version = $3';

type Write = (tx: StateQueryable) => Promise<void>;

/**
 * Group commit: writes requested in the same tick run in one transaction; each caller's promise
 * settles when that transaction has committed (a burst of group flushes costs one commit, not one each).
 */
function createGroupCommit(store: StateStore): (w: Write) => Promise<void> {
  let queue: { w: Write; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let running = false;
  // One batch at a time, in order: a later write never commits before an earlier one.
  const run = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await store.transaction(async (tx) => {
          for (const item of batch) await item.w(tx);
        });
        for (const item of batch) item.resolve();
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    running = false;
  };
  return (w) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ w, resolve, reject });
      if (!running) {
        running = true;
        setImmediate(() => void run());
      }
    });
}

/** Creates the repository and applies the alerting migrations to the store. */
export async function createAlertingRepository(store: StateStore): Promise<AlertingRepository> {
  await store.migrate(ALERTING_MIGRATION_NAMESPACE, alertingMigrations);
  const commit = createGroupCommit(store);
  return {
    async load() {
      const alerts = (await store.query('SELECT * FROM vigil_am_alerts')).map(
        (r): Alert => ({
          fingerprint: String(r.fingerprint),
          labels: JSON.parse(String(r.labels)) as Record<string, string>,
          annotations: JSON.parse(String(r.annotations)) as Record<string, string>,
          startsAt: Number(r.starts_at),
          endsAt: Number(r.ends_at),
          updatedAt: Number(r.updated_at),
          generatorURL: String(r.generator_url),
          timeout: Number(r.timeout) === 1,
        }),
      );
      const silences = (await store.query('SELECT * FROM vigil_am_silences')).map(
        (r): Silence => ({
          id: String(r.id),
          matchers: JSON.parse(String(r.matchers)) as Silence['matchers'],
          startsAt: Number(r.starts_at),
          endsAt: Number(r.ends_at),
          updatedAt: Number(r.updated_at),
          createdBy: String(r.created_by),
          comment: String(r.comment),
        }),
      );
      const nflog = (await store.query('SELECT * FROM vigil_am_nflog')).map(
        (r): NflogEntry => ({
          receiverKey: String(r.receiver_key),
          groupKey: String(r.group_key),
          firing: JSON.parse(String(r.firing)) as string[],
          resolved: JSON.parse(String(r.resolved)) as string[],
          sentAt: Number(r.sent_at),
        }),
      );
      const pending = (await store.query('SELECT * FROM vigil_am_pending ORDER BY created_at')).map(
        (r): PendingNotification => ({
          receiverKey: String(r.receiver_key),
          groupKey: String(r.group_key),
          receiver: String(r.receiver),
          data: JSON.parse(String(r.payload)) as NotificationData,
          firing: JSON.parse(String(r.firing)) as string[],
          resolved: JSON.parse(String(r.resolved)) as string[],
          version: Number(r.version),
          createdAt: Number(r.created_at),
        }),
      );
      return { alerts, silences, nflog, pending };
    },
    async saveAlerts(alerts) {
      if (alerts.length === 0) return;
      await store.executeMany(
        UPSERT_ALERT,
        alerts.map((a) => [a.fingerprint, JSON.stringify(a.labels), JSON.stringify(a.annotations), a.startsAt, a.endsAt, a.updatedAt, a.generatorURL, a.timeout ? 1 : 0]),
      );
    },
    async deleteAlerts(fps) {
      if (fps.length === 0) return;
      await store.executeMany(
        'DELETE FROM vigil_am_alerts WHERE fingerprint = $1',
        fps.map((f) => [f]),
      );
    },
    async saveSilence(s) {
      await store.execute(
        `INSERT INTO vigil_am_silences (id, matchers, starts_at, ends_at, updated_at, created_by, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
  updated_at = excluded.updated_at, created_by = excluded.created_by, comment = excluded.comment`,
        [s.id, JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.updatedAt, s.createdBy, s.comment],
      );
    },
    async deleteSilence(id) {
      await store.execute('DELETE FROM vigil_am_silences WHERE id = $1', [id]);
    },
    putPending(p) {
      const row = [p.receiverKey, p.groupKey, p.receiver, JSON.stringify(p.data), JSON.stringify(p.firing), JSON.stringify(p.resolved), p.version, p.createdAt];
      return commit(async (tx) => {
        await tx.execute(UPSERT_PENDING, row);
      });
    },
    completePending(e, version) {
      const row = [e.receiverKey, e.groupKey, JSON.stringify(e.firing), JSON.stringify(e.resolved), e.sentAt];
      return commit(async (tx) => {
        await tx.execute(UPSERT_NFLOG, row);
        await tx.execute(DELETE_PENDING, [e.receiverKey, e.groupKey, version]);
      });
    },
    dropPending(receiverKey, groupKey, version) {
      return commit(async (tx) => {
        await tx.execute(DELETE_PENDING, [receiverKey, groupKey, version]);
      });
    },
    async gcNflog(before) {
      await store.execute('DELETE FROM vigil_am_nflog WHERE sent_at < $1', [before]);
    },
  };
}
