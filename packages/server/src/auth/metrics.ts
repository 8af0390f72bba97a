import { Counter, type Registry } from 'prom-client';

/** Metric names the auth layer exports. */
export const AUTH_METRIC_NAMES = {
  logins: 'vigil_auth_logins_total',
  loginFailures: 'vigil_auth_login_failures_total',
  rejected: 'vigil_auth_requests_rejected_total',
} as const;

/** Counters of logins and rejected requests. */
export interface AuthMetrics {
  readonly logins: Counter<string>;
  /** Label `reason`: `bad_credentials`, `rate_limited`, `busy` (too many checks at once), `invalid_input`. */
  readonly loginFailures: Counter<string>;
  /** Label `code`: the `VIGIL_ERR_*` returned. */
  readonly rejected: Counter<string>;
}

/** Creates the auth counters on `registry` (or on none, for tests). */
export function createAuthMetrics(registry?: Registry): AuthMetrics {
  const registers = registry ? [registry] : [];
  return {
    logins: new Counter({ name: AUTH_METRIC_NAMES.logins, help: 'Successful logins.', registers }),
    loginFailures: new Counter({ name: AUTH_METRIC_NAMES.loginFailures, help: 'Failed logins by reason.', labelNames: ['reason'], registers }),
    rejected: new Counter({ name: AUTH_METRIC_NAMES.rejected, help: 'Requests refused by the auth layer, by error code.', labelNames: ['code'], registers }),
  };
}
