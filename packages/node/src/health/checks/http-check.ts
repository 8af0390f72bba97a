import { redactSecrets } from '../redact-secrets.js';
import type { HealthCheckDefinition } from '../types.js';
import { withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link httpCheck}. */
export interface HttpCheckOptions extends CommonCheckOptions {
  /** URL to request (http or https). Credentials in it never appear in results. */
  url: string;
  /** HTTP method. Default `GET`. */
  method?: string;
  /** Request headers (e.g. an API key; never reported). */
  headers?: Record<string, string>;
  /** Accepted status: a code, a list, or a predicate. Default: any 2xx. */
  expectedStatus?: number | number[] | ((status: number) => boolean);
  /** Body condition: a substring, a RegExp, or a predicate on the body text. Default: none (body not read). */
  body?: string | RegExp | ((body: string) => boolean);
  /** Status to report when the endpoint answers but fails a condition. Default `unhealthy`. */
  failStatus?: 'degraded' | 'unhealthy';
}

/**
 * Creates an HTTP(S) endpoint check: requests `url` with the check's AbortSignal and is healthy when the
 * status (and, if set, the body condition) matches. Default name: the URL's host.
 *
 * @example
 * registry.register(httpCheck({ name: 'payments', url: 'https://payments.internal/health', expectedStatus: 200, body: '"ok"' }));
 */
export function httpCheck(options: HttpCheckOptions): HealthCheckDefinition {
  const url = new URL(options.url);
  const shown = redactSecrets(`${url.protocol}//${url.host}${url.pathname}`);
  const okStatus = (s: number): boolean => {
    const e = options.expectedStatus;
    if (e === undefined) return s >= 200 && s < 300;
    if (typeof e === 'number') return s === e;
    if (Array.isArray(e)) return e.includes(s);
    return e(s);
  };
  const failStatus = options.failStatus ?? 'unhealthy';
  return withCommon(
    options,
    { name: url.host },
    {
      async check({ signal }) {
        const res = await fetch(url, {
          method: options.method ?? 'GET',
          headers: options.headers,
          signal,
          redirect: 'manual',
        });
        const details = { status_code: res.status, url: shown };
        if (!okStatus(res.status)) {
          await res.body?.cancel();
          return {
            status: failStatus,
            error: `unexpected status ${res.status} from ${shown}`,
            details,
          };
        }
        if (options.body !== undefined) {
          const text = await res.text();
          const cond = options.body;
          const ok =
            typeof cond === 'string'
              ? text.includes(cond)
              : cond instanceof RegExp
                ? cond.test(text)
                : cond(text);
          if (!ok)
            return {
              status: failStatus,
              error: `response body from ${shown} did not match`,
              details,
            };
        } else {
          await res.body?.cancel();
        }
        return { details };
      },
    },
  );
}
