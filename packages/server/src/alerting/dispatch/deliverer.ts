import type { Integration, NotificationData } from '../../notify/contract.js';
import type { AlertingClock } from '../clock.js';
import type { NotificationLog } from '../nflog/nflog.js';
import type { AlertingRepository, NflogEntry, PendingNotification } from '../persist/alerting-repository.js';
import type { AlertingLogger } from './logger.js';

/**
 * Delivers one notification to one integration, retrying as it sees fit; resolves once delivered,
 * rejects when it gives up (or when `signal` aborts at shutdown, in which case the notification
 * stays pending in the store and is retried after restart).
 */
export type DeliverFn = (integration: Integration, data: NotificationData, options: { signal: AbortSignal }) => Promise<void>;

/** A notification for one integration and one group. */
export interface DeliveryJob {
  readonly receiverKey: string;
  readonly groupKey: string;
  readonly receiver: string;
  readonly integration: Integration;
  readonly data: NotificationData;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
}

interface Versioned extends DeliveryJob {
  readonly version: number;
  readonly createdAt: number;
}

interface Worker {
  latest?: Versioned;
  running: boolean;
  waiters: { version: number; resolve: (ok: boolean) => void }[];
}

/**
 * One delivery worker per (integration, group): the newest notification supersedes an undelivered
 * older one, the pending notification is written to the store before delivery starts, and the
 * nflog entry is written in the same transaction that clears it — so a restart neither loses nor
 * repeats a notification.
 */
export class Deliverer {
  private readonly workers = new Map<string, Worker>();
  private readonly abort = new AbortController();
  private seq: number;
  private stopped = false;
  /** Per key: the alert sets last delivered and the sequence number at which that completed. */
  private readonly lastDone = new Map<string, { firing: readonly string[]; resolved: readonly string[]; seq: number }>();

  constructor(
    private readonly clock: AlertingClock,
    private readonly repo: AlertingRepository | undefined,
    private readonly nflog: NotificationLog,
    private readonly deliver: DeliverFn,
    private readonly logger: AlertingLogger,
    /** Told of each delivery's outcome (after the nflog is written on success); must not throw. */
    private readonly onOutcome: (job: DeliveryJob, ok: boolean, error?: string) => void = () => undefined,
  ) {
    this.seq = clock.now();
  }

  /** Accepts a job; resolves true once it (or a newer one for the same key) is delivered, false when dropped. */
  async submit(job: DeliveryJob): Promise<boolean> {
    const v: Versioned = { ...job, version: ++this.seq, createdAt: this.clock.now() };
    await this.repo?.putPending(toPending(v));
    return this.enqueue(v);
  }

  /** Resumes notifications that were pending when the process stopped. */
  restore(pending: readonly PendingNotification[], integrationFor: (receiverKey: string) => Integration | undefined): void {
    for (const p of pending) {
      this.seq = Math.max(this.seq, p.version);
      const integration = integrationFor(p.receiverKey);
      if (!integration) {
        void this.repo?.dropPending(p.receiverKey, p.groupKey, p.version);
        continue;
      }
      void this.enqueue({ ...p, integration });
    }
  }

  /** Stops delivering; undelivered notifications stay pending in the store. */
  stop(): void {
    this.stopped = true;
    this.abort.abort(new Error('alerting pipeline stopped'));
  }

  /** Resolves when no delivery is in progress. */
  async idle(): Promise<void> {
    while ([...this.workers.values()].some((w) => w.running)) await new Promise<void>((r) => setImmediate(r));
  }

  private settle(w: Worker, version: number, ok: boolean): void {
    const done = w.waiters.filter((x) => x.version <= version);
    w.waiters = w.waiters.filter((x) => x.version > version);
    for (const d of done) d.resolve(ok);
  }

  private enqueue(v: Versioned): Promise<boolean> {
    const key = `${v.receiverKey}\u0000${v.groupKey}`;
    let w = this.workers.get(key);
    if (!w) this.workers.set(key, (w = { running: false, waiters: [] }));
    w.latest = v;
    const p = new Promise<boolean>((resolve) => w.waiters.push({ version: v.version, resolve }));
    if (!w.running) void this.run(key, w);
    return p;
  }

  private async run(key: string, w: Worker): Promise<void> {
    w.running = true;
    while (w.latest && !this.stopped) {
      const job = w.latest;
      // A job decided before an identical delivery completed (its flush read a stale nflog) is
      // already settled: sending it would page twice for the same thing.
      const done = this.lastDone.get(key);
      if (done && job.version < done.seq && sameSets(job, done)) {
        await this.repo?.dropPending(job.receiverKey, job.groupKey, job.version).catch(() => undefined);
        this.settle(w, job.version, true);
        if (w.latest === job) w.latest = undefined;
        continue;
      }
      let ok = false;
      let failure: string | undefined;
      try {
        await this.deliver(job.integration, job.data, { signal: this.abort.signal });
        ok = true;
      } catch (err) {
        if (this.stopped) break;
        failure = (err as Error).message;
        this.logger.error({ receiver: job.receiver, integration: job.integration.name, err: (err as Error).message }, 'notification dropped after a permanent failure');
      }
      try {
        if (ok) {
          const entry: NflogEntry = { receiverKey: job.receiverKey, groupKey: job.groupKey, firing: job.firing, resolved: job.resolved, sentAt: this.clock.now() };
          await this.repo?.completePending(entry, job.version);
          this.nflog.set(entry);
          this.lastDone.set(key, { firing: job.firing, resolved: job.resolved, seq: ++this.seq });
        } else {
          await this.repo?.dropPending(job.receiverKey, job.groupKey, job.version);
        }
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'cannot record notification in the state store');
      }
      this.onOutcome(job, ok, failure);
      // A newer job queued while this one was being retried carries the same alert sets: it was
      // just delivered in substance, so it is settled too (no second page for the same thing).
      const next = w.latest;
      let settledVersion = job.version;
      if (ok && next && next !== job && sameSets(next, job)) {
        settledVersion = next.version;
        await this.repo?.dropPending(next.receiverKey, next.groupKey, next.version).catch(() => undefined);
        w.latest = undefined;
      }
      this.settle(w, settledVersion, ok);
      if (w.latest === job) w.latest = undefined;
    }
    w.running = false;
    if (!w.latest && w.waiters.length === 0) this.workers.delete(key);
  }
}

function toPending(v: Versioned): PendingNotification {
  return { receiverKey: v.receiverKey, groupKey: v.groupKey, receiver: v.receiver, data: v.data, firing: v.firing, resolved: v.resolved, version: v.version, createdAt: v.createdAt };
}

function sameSets(a: Pick<DeliveryJob, 'firing' | 'resolved'>, b: Pick<DeliveryJob, 'firing' | 'resolved'>): boolean {
  const eq = (x: readonly string[], y: readonly string[]) => x.length === y.length && [...x].sort().join() === [...y].sort().join();
  return eq(a.firing, b.firing) && eq(a.resolved, b.resolved);
}
