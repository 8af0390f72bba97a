import { randomUUID } from 'node:crypto';
import type { SecurityStore } from './security-store.js';

/** The ioredis methods the Redis store uses (an ioredis 5 `Redis` or `Cluster` instance). */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

// Sliding window in one round trip, atomically: drop old members, add this one, count, and expire the key with
// the window so idle keys vanish.
const HIT_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])
`;

/**
 * Creates a Redis-backed {@link SecurityStore} shared by every instance of a service: sliding windows are sorted
 * sets updated by one Lua script (atomic), blocks are keys with a PX expiry. Keys are `<prefix>win:<key>` and
 * `<prefix>block:<key>`; default prefix `vigil:sec:`.
 */
export function createRedisSecurityStore(options: { redis: RedisLike; prefix?: string }): SecurityStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'vigil:sec:';
  return {
    async hit(key, nowMs, windowMs) {
      // A random suffix keeps simultaneous events at the same millisecond distinct members.
      const n = await redis.eval(HIT_SCRIPT, 1, `${prefix}win:${key}`, nowMs, windowMs, `${nowMs}:${randomUUID()}`);
      return Number(n);
    },
    async clear(key) {
      await redis.del(`${prefix}win:${key}`);
    },
    async block(key, untilMs, nowMs) {
      const ttl = Math.max(1, Math.ceil(untilMs - nowMs));
      await redis.set(`${prefix}block:${key}`, String(untilMs), 'PX', ttl);
    },
    async blockedUntil(key, nowMs) {
      const v = await redis.get(`${prefix}block:${key}`);
      if (v === null) return undefined;
      const until = Number(v);
      return until > nowMs ? until : undefined;
    },
    async unblock(key) {
      await redis.del(`${prefix}block:${key}`);
    },
  };
}
