import type { NflogEntry } from '../persist/alerting-repository.js';

/** Key of an nflog entry. */
export function nflogKey(receiverKey: string, groupKey: string): string {
  return `${receiverKey}\u0000${groupKey}`;
}

/** The in-memory notification log (backed by the store through the delivery path). */
export class NotificationLog {
  private readonly entries = new Map<string, NflogEntry & { firingSet: Set<string>; resolvedSet: Set<string> }>();

  load(list: readonly NflogEntry[]): void {
    for (const e of list) this.set(e);
  }

  set(e: NflogEntry): void {
    this.entries.set(nflogKey(e.receiverKey, e.groupKey), { ...e, firingSet: new Set(e.firing), resolvedSet: new Set(e.resolved) });
  }

  get(receiverKey: string, groupKey: string): (NflogEntry & { firingSet: ReadonlySet<string>; resolvedSet: ReadonlySet<string> }) | undefined {
    return this.entries.get(nflogKey(receiverKey, groupKey));
  }

  /** Drops entries older than `before` (ms). */
  gc(before: number): void {
    for (const [k, e] of this.entries) if (e.sentAt < before) this.entries.delete(k);
  }
}

function subset(a: readonly string[], b: ReadonlySet<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Alertmanager's dedup decision (`DedupStage.needsUpdate`): notify when nothing was sent yet and
 * something fires, when a firing alert is new, when everything resolved after something fired, when
 * a new alert resolved (only with send_resolved), or when repeat_interval has elapsed.
 */
export function needsUpdate(
  entry: { firingSet: ReadonlySet<string>; resolvedSet: ReadonlySet<string>; sentAt: number } | undefined,
  firing: readonly string[],
  resolved: readonly string[],
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  if (!entry) return firing.length > 0;
  if (!subset(firing, entry.firingSet)) return true;
  if (firing.length === 0) return entry.firingSet.size > 0;
  if (sendResolved && !subset(resolved, entry.resolvedSet)) return true;
  return entry.sentAt + repeatIntervalMs <= now;
}
