import tls from 'node:tls';
import type { HealthCheckDefinition } from '../types.js';
import { withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link tlsCertificateCheck}. */
export interface TlsCertificateCheckOptions extends CommonCheckOptions {
  /** Host to connect to. */
  host: string;
  /** Port. Default 443. */
  port?: number;
  /** SNI name. Default `host`. */
  servername?: string;
  /** Degraded when fewer days are left. Default 30. */
  warningDays?: number;
  /** Unhealthy when fewer days are left (or expired). Default 7. */
  criticalDays?: number;
  /** Also fail on an untrusted chain. Default false (only the expiry is judged). */
  verifyChain?: boolean;
  /** Extra CA certificates (PEM) trusted when `verifyChain` is set. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Creates a TLS certificate expiry check: connects, reads the peer certificate and reports `days_left`;
 * degraded under `warningDays`, unhealthy under `criticalDays`. Default name `tls:<host>:<port>`.
 */
export function tlsCertificateCheck(options: TlsCertificateCheckOptions): HealthCheckDefinition {
  const port = options.port ?? 443;
  const warningDays = options.warningDays ?? 30;
  const criticalDays = options.criticalDays ?? 7;
  const now = options.now ?? Date.now;
  return withCommon(
    options,
    { name: `tls:${options.host}:${port}` },
    {
      check: ({ signal }) =>
        new Promise((resolve, reject) => {
          const socket = tls.connect({
            host: options.host,
            port,
            servername:
              options.servername ?? (/^[\d.:]+$/.test(options.host) ? undefined : options.host),
            rejectUnauthorized: options.verifyChain ?? false,
            ca: options.ca,
          });
          const onAbort = () =>
            socket.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          signal.addEventListener('abort', onAbort, { once: true });
          socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate();
            socket.end();
            signal.removeEventListener('abort', onAbort);
            if (!cert || !cert.valid_to) {
              reject(new Error('server presented no certificate'));
              return;
            }
            const expires = Date.parse(cert.valid_to);
            const daysLeft = Math.floor(((expires - now()) / 86_400_000) * 10) / 10;
            const details = { days_left: daysLeft, valid_to: new Date(expires).toISOString() };
            if (daysLeft < criticalDays)
              resolve({
                status: 'unhealthy',
                error: `certificate expires in ${daysLeft} days (critical under ${criticalDays})`,
                details,
              });
            else if (daysLeft < warningDays)
              resolve({
                status: 'degraded',
                error: `certificate expires in ${daysLeft} days (warning under ${warningDays})`,
                details,
              });
            else resolve({ details });
          });
          socket.once('error', (error) => {
            signal.removeEventListener('abort', onAbort);
            socket.destroy();
            reject(error);
          });
        }),
    },
  );
}
