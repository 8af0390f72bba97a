import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';

/** What a drain reports once the server is closed. */
export interface DrainOutcome {
  /** True when every connection ended on its own before the deadline. */
  graceful: boolean;
}

/** A server whose requests are tracked from now on, so it can later be drained. */
export interface TrackedServer {
  /** The server. */
  readonly server: HttpServer;
  /**
   * Stops accepting connections and drains keep-alive connections: idle ones close at once, responses in
   * flight get `Connection: close` and their sockets close once idle; what remains at `timeoutMs` is destroyed.
   * Resolves when the server has closed.
   */
  drain(timeoutMs: number): Promise<DrainOutcome>;
}

/** Starts tracking the requests of an HTTP server (call it when the server is created or registered). */
export function trackServer(server: HttpServer): TrackedServer {
  const inflight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining && !res.headersSent) res.setHeader('connection', 'close');
    inflight.add(res);
    res.once('close', () => inflight.delete(res));
    res.once('finish', () => inflight.delete(res));
  });
  return {
    server,
    drain(timeoutMs) {
      return new Promise((resolve) => {
        draining = true;
        for (const res of inflight) if (!res.headersSent) res.setHeader('connection', 'close');
        if (!server.listening) {
          server.closeAllConnections();
          resolve({ graceful: inflight.size === 0 });
          return;
        }
        let forced = false;
        const interval = setInterval(() => server.closeIdleConnections(), 25);
        const deadline = setTimeout(() => {
          forced = true;
          server.closeAllConnections();
        }, timeoutMs);
        server.close(() => {
          clearInterval(interval);
          clearTimeout(deadline);
          resolve({ graceful: !forced });
        });
        server.closeIdleConnections();
      });
    },
  };
}
