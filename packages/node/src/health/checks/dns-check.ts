import { lookup, Resolver } from 'node:dns/promises';
import type { HealthCheckDefinition } from '../types.js';
import { abortPromise, withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link dnsCheck}. */
export interface DnsCheckOptions extends CommonCheckOptions {
  /** Name to resolve. */
  hostname: string;
  /** `lookup` uses the OS resolver (hosts file included, as connections do); `resolve` queries DNS servers. Default `lookup`. */
  mode?: 'lookup' | 'resolve';
  /** Record type in `resolve` mode. Default `A`. */
  rrtype?: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'NS';
  /** DNS servers for `resolve` mode (default: the system's). */
  servers?: string[];
}

/** Creates a DNS check: healthy when the name resolves to at least one record; reports the record count. Default name `dns:<hostname>`. */
export function dnsCheck(options: DnsCheckOptions): HealthCheckDefinition {
  return withCommon(
    options,
    { name: `dns:${options.hostname}` },
    {
      async check({ signal }) {
        if ((options.mode ?? 'lookup') === 'lookup') {
          const addresses = await Promise.race([
            lookup(options.hostname, { all: true }),
            abortPromise(signal),
          ]);
          return { details: { records: addresses.length } };
        }
        const resolver = new Resolver();
        if (options.servers) resolver.setServers(options.servers);
        signal.addEventListener('abort', () => resolver.cancel(), { once: true });
        const records = (await resolver.resolve(
          options.hostname,
          options.rrtype ?? 'A',
        )) as unknown[];
        if (records.length === 0)
          return {
            status: 'unhealthy',
            error: `no ${options.rrtype ?? 'A'} records for ${options.hostname}`,
          };
        return { details: { records: records.length } };
      },
    },
  );
}
