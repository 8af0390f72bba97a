/**
 * Storage of the security monitor: sliding-window counters and temporary blocks. Implementations must be atomic
 * per key (several app instances may share one Redis store) and must expire what they keep.
 */
export interface SecurityStore {
  /** Records one event under `key` at `nowMs` and returns how many events the key has in `(nowMs - windowMs, nowMs]`. */
  hit(key: string, nowMs: number, windowMs: number): Promise<number>;
  /** Forgets the events of `key`. */
  clear(key: string): Promise<void>;
  /** Blocks `key` until `untilMs` (epoch ms). */
  block(key: string, untilMs: number, nowMs: number): Promise<void>;
  /** Epoch ms until which `key` is blocked, or `undefined` when it is not blocked at `nowMs`. */
  blockedUntil(key: string, nowMs: number): Promise<number | undefined>;
  /** Lifts a block. */
  unblock(key: string): Promise<void>;
}

/**
 * Creates the in-memory {@link SecurityStore} (the default; per process). Timestamps older than the window are
 * pruned on each hit and expired blocks on each lookup; `maxKeys` (default 100 000) bounds memory by evicting the
 * oldest keys.
 */
export function createMemorySecurityStore(options: { maxKeys?: number } = {}): SecurityStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const events = new Map<string, number[]>();
  const blocks = new Map<string, number>();
  return {
    async hit(key, nowMs, windowMs) {
      let list = events.get(key);
      if (!list) {
        if (events.size >= maxKeys) events.delete(events.keys().next().value as string);
        list = [];
        events.set(key, list);
      }
      const cutoff = nowMs - windowMs;
      let drop = 0;
      while (drop < list.length && list[drop]! <= cutoff) drop++;
      if (drop > 0) list.splice(0, drop);
      list.push(nowMs);
      return list.length;
    },
    async clear(key) {
      events.delete(key);
    },
    async block(key, untilMs) {
      if (blocks.size >= maxKeys && !blocks.has(key)) blocks.delete(blocks.keys().next().value as string);
      blocks.set(key, untilMs);
    },
    async blockedUntil(key, nowMs) {
      const until = blocks.get(key);
      if (until === undefined) return undefined;
      if (until <= nowMs) {
        blocks.delete(key);
        return undefined;
      }
      return until;
    },
    async unblock(key) {
      blocks.delete(key);
    },
  };
}
