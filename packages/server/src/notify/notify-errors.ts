import { VigilError } from '../errors.js';
import type { NotifyFailure, NotifyFailureReason } from './contract.js';

/** Error code of a failed delivery attempt (see {@link NotifyError}). */
export const NOTIFY_FAILED = 'VIGIL_ERR_NOTIFY_FAILED';
/** Error code of an invalid receiver configuration (see {@link ReceiverConfigError}). */
export const RECEIVER_INVALID = 'VIGIL_ERR_RECEIVER_INVALID';
/** Error code of a notification template that failed to parse or execute. */
export const NOTIFY_TEMPLATE_FAILED = 'VIGIL_ERR_NOTIFY_TEMPLATE';

/**
 * The error an `Integration.notify` rejects with: says whether a retry can help, why the attempt
 * failed (the `reason` label of `notifications_failed_total`) and, for 429s, how long the receiver
 * asked us to wait. Its message never contains a secret (URLs, keys and tokens are scrubbed).
 */
export class NotifyError extends VigilError implements NotifyFailure {
  readonly retryable: boolean;
  readonly reason: NotifyFailureReason;
  readonly retryAfterMs?: number;
  /** HTTP status of the response, when there was one. */
  readonly status?: number;

  constructor(
    message: string,
    init: { retryable: boolean; reason: NotifyFailureReason; retryAfterMs?: number; status?: number; cause?: unknown; code?: string },
  ) {
    super(init.code ?? NOTIFY_FAILED, message, init.cause === undefined ? undefined : { cause: init.cause });
    this.retryable = init.retryable;
    this.reason = init.reason;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.status !== undefined) this.status = init.status;
  }
}

/** Where in which file a receiver configuration problem is. */
export interface ConfigLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Dotted path of the offending field inside the receiver, e.g. `slack_configs[0].api_url`. */
  readonly field: string;
}

/**
 * A receiver configuration that Alertmanager would reject (or that Vigil cannot honour): the
 * message reads `file:line:column: field: problem`, and the location is available structured.
 */
export class ReceiverConfigError extends VigilError {
  readonly location: ConfigLocation;
  constructor(location: ConfigLocation, problem: string) {
    const where =
      location.line !== undefined ? `${location.file}:${location.line}:${location.column ?? 1}` : location.file;
    super(RECEIVER_INVALID, `${where}: ${location.field}: ${problem}`);
    this.location = location;
  }
}

/** True when `e` has the {@link NotifyFailure} shape (a `NotifyError` or a compatible error). */
export function isNotifyFailure(e: unknown): e is NotifyFailure & Error {
  return (
    e instanceof Error &&
    typeof (e as Partial<NotifyFailure>).retryable === 'boolean' &&
    typeof (e as Partial<NotifyFailure>).reason === 'string'
  );
}
