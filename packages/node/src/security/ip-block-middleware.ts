import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createClientIpResolver, type ClientIpOptions } from '../http/client-ip.js';
import type { SecurityMonitor } from './security-monitor.js';

/** Options of the IP-blocking middleware. */
export interface IpBlockOptions {
  /** Trusted proxies for the client IP (X-Forwarded-For is believed only from these). */
  clientIp?: ClientIpOptions;
  /** Feed every 4xx response of the client to `monitor.recordClientError()`. Default true. */
  trackClientErrors?: boolean;
  /** Clock in epoch ms for `Retry-After` (use the monitor's). Default `Date.now`. */
  now?: () => number;
}

const BODY = JSON.stringify({ error: 'IP address is blocked' });

/**
 * Creates node:http / Express middleware that answers requests from blocked IPs with 429 and
 * `{"error":"IP address is blocked","retry_after_seconds":N}` (plus `Retry-After`), counting
 * `security_events_total{type="blocked_request"}`; other requests pass on, and their 4xx responses feed the
 * monitor's pattern tracking. If the store fails, requests are let through (fail open).
 */
export function createIpBlockMiddleware(
  monitor: SecurityMonitor,
  options: IpBlockOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  const clientIp = createClientIpResolver(options.clientIp);
  const track = options.trackClientErrors ?? true;
  const now = options.now ?? Date.now;
  return (req, res, next) => {
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    monitor.blockedUntil(ip).then(
      (until) => {
        if (until !== undefined) {
          const retry = Math.max(1, Math.ceil((until - now()) / 1000));
          monitor.recordEvent('blocked_request', { ip_address: ip, path: (req.url ?? '/').split('?')[0] });
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retry) });
          res.end(`${BODY.slice(0, -1)},"retry_after_seconds":${retry}}`);
          return;
        }
        if (track) res.once('finish', () => void monitor.recordClientError(ip, res.statusCode).catch(() => undefined));
        next();
      },
      () => next(),
    );
  };
}

/**
 * Creates a Fastify `onRequest` hook with the same behaviour as {@link createIpBlockMiddleware}:
 * `app.addHook('onRequest', createFastifyIpBlockHook(monitor))`.
 */
export function createFastifyIpBlockHook(
  monitor: SecurityMonitor,
  options: IpBlockOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const clientIp = createClientIpResolver(options.clientIp);
  const track = options.trackClientErrors ?? true;
  const now = options.now ?? Date.now;
  return async (request, reply) => {
    const ip = clientIp(request.raw.socket?.remoteAddress, request.headers['x-forwarded-for']);
    let until: number | undefined;
    try {
      until = await monitor.blockedUntil(ip);
    } catch {
      return;
    }
    if (until !== undefined) {
      const retry = Math.max(1, Math.ceil((until - now()) / 1000));
      monitor.recordEvent('blocked_request', { ip_address: ip, path: (request.raw.url ?? '/').split('?')[0] });
      await reply.code(429).header('retry-after', String(retry)).type('application/json').send({ error: 'IP address is blocked', retry_after_seconds: retry });
      return;
    }
    if (track) reply.raw.once('finish', () => void monitor.recordClientError(ip, reply.statusCode).catch(() => undefined));
  };
}
