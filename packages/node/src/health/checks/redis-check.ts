import { once, type EventEmitter } from 'node:events';
import { HealthPeerMissingError } from '../health-errors.js';
import type { HealthCheckDefinition } from '../types.js';
import { abortPromise, round1, withCommon, type CommonCheckOptions } from './common.js';

/** The slice of an ioredis client the check uses (a real `Redis` instance fits). */
export interface RedisClientLike {
  ping(): Promise<string>;
  info(section: string): Promise<string>;
  status?: string;
  connect?(): Promise<void>;
  disconnect?(reconnect?: boolean): void;
  quit?(): Promise<unknown>;
}

/** Options of {@link redisCheck}: pass `client` (your app's ioredis client) or `url` (the check owns a client). */
export interface RedisCheckOptions extends CommonCheckOptions {
  /** An existing ioredis client. */
  client?: RedisClientLike;
  /** A Redis URL; `ioredis` is imported lazily and a private client without offline queue is created. */
  url?: string;
  /** Also read `INFO memory` and report `memory_used_mb`. Default true. */
  memory?: boolean;
}

/**
 * Creates a Redis check: `PING` (expects `PONG`) and, unless disabled, `INFO memory` for `memory_used_mb`.
 * A private client (url mode) fails fast while disconnected and is dropped on timeout so a hung server never
 * queues commands. Default name `redis`.
 *
 * @example
 * registry.register(redisCheck({ url: process.env.REDIS_URL, critical: false }));
 */
export function redisCheck(options: RedisCheckOptions): HealthCheckDefinition {
  if (!options.client && !options.url) throw new TypeError('redisCheck: pass `client` or `url`');
  const wantMemory = options.memory ?? true;
  let owned: RedisClientLike | undefined;

  async function clientFor(): Promise<RedisClientLike> {
    if (options.client) return options.client;
    if (owned) return owned;
    let Redis: typeof import('ioredis').Redis;
    try {
      Redis = (await import('ioredis')).Redis;
    } catch (cause) {
      throw new HealthPeerMissingError('ioredis', { cause });
    }
    const client = new Redis(options.url!, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.timeoutMs ?? 2000,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    owned = client as unknown as RedisClientLike;
    return owned;
  }

  function drop(): void {
    const c = owned;
    owned = undefined;
    c?.disconnect?.(false);
  }

  return withCommon(
    options,
    { name: 'redis' },
    {
      async check({ signal }) {
        let client = await clientFor();
        try {
          if (!options.client && client.status !== 'ready') {
            if (client.status !== 'wait') {
              drop();
              client = await clientFor();
            }
            await Promise.race([client.connect?.(), abortPromise(signal)]);
          }
          if (options.client && client.status !== undefined && client.status !== 'ready') {
            // An app client still (re)connecting: wait for it within the timeout rather than failing a
            // command that a client without offline queue would reject at once.
            if (client.status === 'end') throw new Error('redis client is closed');
            if (
              client.status !== 'wait' &&
              typeof (client as Partial<EventEmitter>).once === 'function'
            ) {
              await once(client as unknown as EventEmitter, 'ready', { signal });
            }
          }
          const pong = await Promise.race([client.ping(), abortPromise(signal)]);
          if (pong !== 'PONG')
            return {
              status: 'unhealthy' as const,
              error: `unexpected PING reply: ${String(pong).slice(0, 40)}`,
            };
          if (!wantMemory) return {};
          const info = await Promise.race([client.info('memory'), abortPromise(signal)]);
          const used = /used_memory:(\d+)/.exec(info);
          return { details: used ? { memory_used_mb: round1(Number(used[1]) / 1048576) } : {} };
        } catch (error) {
          // A private client that timed out or broke is replaced next time, so nothing piles up behind it.
          if (!options.client) drop();
          throw error;
        }
      },
      async close() {
        const c = owned;
        owned = undefined;
        if (c && c.status === 'ready')
          await Promise.resolve(c.quit?.()).catch(() => c.disconnect?.(false));
        else c?.disconnect?.(false);
      },
    },
  );
}
