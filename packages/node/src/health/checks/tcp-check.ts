import net from 'node:net';
import type { HealthCheckDefinition } from '../types.js';
import { withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link tcpCheck}. */
export interface TcpCheckOptions extends CommonCheckOptions {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
}

/** Creates a TCP check: healthy when a connection to host:port opens (then closes it at once). Default name `tcp:<host>:<port>`. */
export function tcpCheck(options: TcpCheckOptions): HealthCheckDefinition {
  return withCommon(
    options,
    { name: `tcp:${options.host}:${options.port}` },
    {
      check: ({ signal }) =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect({ host: options.host, port: options.port, signal });
          socket.once('connect', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', (error) => {
            socket.destroy();
            reject(error);
          });
        }),
    },
  );
}
