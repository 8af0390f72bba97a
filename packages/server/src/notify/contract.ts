/**
 * The contract between alert dispatch (`../alerting`) and the notifiers (this folder). Dispatch
 * decides *what* to send and *when*; a notifier integration turns one notification into one
 * delivery attempt to its channel (webhook, Slack, PagerDuty, email, Teams, console).
 */

/** One alert as Alertmanager's templates and webhook version-4 payload see it. */
export interface NotificationAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339 timestamps, as Alertmanager renders them. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/**
 * Everything one notification for one alert group carries: Alertmanager's template data
 * (`.Receiver`, `.Status`, `.Alerts`, `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`,
 * `.ExternalURL`) plus the group key and how many alerts were truncated.
 */
export interface NotificationData {
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly NotificationAlert[];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
}

/**
 * One configured integration of a receiver (e.g. the second `slack_configs` entry). `notify`
 * performs one delivery attempt and resolves on success; on failure it rejects with a
 * `NotifyError` that says whether a retry can help.
 */
export interface Integration {
  /** Integration type as Alertmanager names it: webhook, slack, pagerduty, email, msteamsv2, console. */
  readonly name: string;
  /** Position among the receiver's integrations of the same type. */
  readonly index: number;
  /** Whether resolved notifications are sent (`send_resolved`). */
  readonly sendResolved: boolean;
  notify(data: NotificationData, signal?: AbortSignal): Promise<void>;
}

/** Why a delivery attempt failed, for the `reason` label of `notifications_failed_total`. */
export type NotifyFailureReason = 'clientError' | 'serverError' | 'rateLimited' | 'timeout' | 'connection' | 'other';

/** Shape of the error a failed `Integration.notify` rejects with. */
export interface NotifyFailure {
  readonly retryable: boolean;
  readonly reason: NotifyFailureReason;
  /** From a 429's Retry-After header, when present. */
  readonly retryAfterMs?: number;
}
