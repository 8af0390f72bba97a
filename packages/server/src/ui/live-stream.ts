import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of `createLiveStream`. */
export interface LiveStreamOptions {
  /** Interval of `: heartbeat` comments that keep proxies from closing idle streams (ms); default 15 s. */
  readonly heartbeatMs?: number;
  /**
   * Bytes a slow client may have queued in its socket before further events are coalesced (only the
   * newest of each event name is kept until the socket drains); default 256 KiB.
   */
  readonly maxBufferedBytes?: number;
  /** A client whose socket holds more than this many bytes is disconnected; default 4 MiB. */
  readonly dropBufferedBytes?: number;
  /** Events sent to a client as soon as it connects (event name → data), e.g. the current overview. */
  readonly snapshot?: () => Promise<Readonly<Record<string, unknown>>>;
}

/** A Server-Sent Events hub: clients connect through `handle`, `publish` sends to all of them. */
export interface LiveStream {
  /** Serves one SSE client on `reply` until it disconnects or the stream closes; `snapshot: false` skips the snapshot events. */
  handle(request: FastifyRequest, reply: FastifyReply, options?: { snapshot?: boolean }): void;
  /** Sends `event` with `data` as JSON to every connected client. */
  publish(event: string, data: unknown): void;
  clientCount(): number;
  /** Per connected client: bytes queued in its socket and events waiting (coalesced) for it to drain. */
  clientStats(): { bufferedBytes: number; pendingEvents: number }[];
  /** Ends every client's stream and stops the heartbeat. */
  close(): void;
}

interface Client {
  readonly res: import('node:http').ServerResponse;
  /** Coalesced events waiting for the socket to drain. */
  readonly pending: Map<string, string>;
  closed: boolean;
}

const frame = (event: string, json: string): string => `event: ${event}\ndata: ${json}\n\n`;

/**
 * Creates the live-update stream behind `GET /api/vigil/stream`: `text/event-stream` with a
 * `retry` hint, the snapshot events on connect, every published event, and heartbeat comments.
 * Buffering per client is bounded: a client that cannot keep up gets only the newest event of each
 * name once its socket drains, and one that stays too far behind is disconnected (EventSource then
 * reconnects and receives a fresh snapshot). Clients that go away are removed at once.
 *
 * @example
 * const live = createLiveStream({ snapshot: async () => ({ overview: await computeOverview(src) }) });
 * app.get('/api/vigil/stream', (req, reply) => live.handle(req, reply));
 * live.publish('incidents', { incidents });
 */
export function createLiveStream(options: LiveStreamOptions = {}): LiveStream {
  const maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
  const dropBuffered = options.dropBufferedBytes ?? 4 * 1024 * 1024;
  const clients = new Set<Client>();

  const remove = (c: Client): void => {
    if (c.closed) return;
    c.closed = true;
    clients.delete(c);
    if (!c.res.destroyed) c.res.end();
  };
  const send = (c: Client, event: string, json: string): void => {
    if (c.closed) return;
    if (c.res.writableLength > dropBuffered) {
      c.res.destroy();
      remove(c);
      return;
    }
    if (c.pending.size > 0 || c.res.writableLength > maxBuffered) {
      c.pending.delete(event);
      c.pending.set(event, json);
      return;
    }
    c.res.write(frame(event, json));
  };
  const flush = (c: Client): void => {
    const items = [...c.pending];
    c.pending.clear();
    for (const [event, json] of items) c.res.write(frame(event, json));
  };

  const heartbeat = setInterval(() => {
    for (const c of clients) if (c.pending.size === 0 && c.res.writableLength <= maxBuffered) c.res.write(': heartbeat\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    handle(request, reply, handleOptions) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Reverse proxies (nginx) would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      const c: Client = { res, pending: new Map(), closed: false };
      clients.add(c);
      res.on('drain', () => flush(c));
      request.raw.on('close', () => remove(c));
      res.on('close', () => remove(c));
      res.on('error', () => remove(c));
      if (options.snapshot && handleOptions?.snapshot !== false) {
        options
          .snapshot()
          .then((events) => {
            for (const [event, data] of Object.entries(events)) send(c, event, JSON.stringify(data));
          })
          .catch(() => undefined);
      }
    },
    publish(event, data) {
      if (clients.size === 0) return;
      const json = JSON.stringify(data);
      for (const c of [...clients]) send(c, event, json);
    },
    clientCount: () => clients.size,
    clientStats: () => [...clients].map((c) => ({ bufferedBytes: c.res.writableLength, pendingEvents: c.pending.size })),
    close() {
      clearInterval(heartbeat);
      for (const c of [...clients]) remove(c);
    },
  };
}
