import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from '../../notify/index.js';

/** An HTTP client for the notifiers plus the means to close its connections. */
export interface NotifierFetch {
  readonly fetch: FetchLike;
  close(): Promise<void>;
}

/**
 * Creates the notifiers' HTTP client: keep-alive connections, at most `connectionsPerOrigin` per
 * origin, so a burst of group flushes reuses a few sockets instead of opening one per notification.
 */
export function createNotifierFetch(connectionsPerOrigin = 32): NotifierFetch {
  const agent = new Agent({ connections: connectionsPerOrigin, keepAliveTimeout: 30_000 });
  const f: FetchLike = async (url, init) => {
    const res = await undiciFetch(url, { ...init, dispatcher: agent });
    return res;
  };
  return { fetch: f, close: () => agent.close() };
}
