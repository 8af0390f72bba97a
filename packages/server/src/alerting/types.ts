/** Label set of an alert. */
export type LabelSet = Readonly<Record<string, string>>;

/** An alert as the pipeline keeps it: times in ms since the epoch. */
export interface Alert {
  readonly fingerprint: string;
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAt: number;
  /** When the alert resolves (or resolved); with `timeout` true it was set from resolve_timeout. */
  readonly endsAt: number;
  readonly generatorURL: string;
  /** When Vigil last received this alert. */
  readonly updatedAt: number;
  /** True when `endsAt` was not sent and comes from resolve_timeout. */
  readonly timeout: boolean;
}

/** An alert as clients post it (Alertmanager's `postableAlert`). Times are RFC 3339 strings. */
export interface PostableAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

/** True when the alert is resolved at `now` (endsAt set and not after now). */
export function isResolved(a: Pick<Alert, 'endsAt'>, now: number): boolean {
  return a.endsAt > 0 && a.endsAt <= now;
}
