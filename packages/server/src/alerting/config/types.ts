import type { Matcher } from '../matchers/matcher.js';
import type { TimeInterval } from '../timeinterval/time-interval.js';

/** The `global` section, parsed: resolve_timeout in ms plus every other field as written (for the notifiers). */
export interface GlobalConfig {
  readonly resolveTimeoutMs: number;
  /** All global fields as plain values (smtp_*, slack_api_url, pagerduty_url, http_config, …) with defaults applied. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** One node of the route tree with inherited values already resolved (as Alertmanager's `dispatch.Route`). */
export interface RouteConfig {
  readonly receiver: string;
  /** Labels to group by; empty with `groupByAll` false groups everything together. */
  readonly groupBy: readonly string[];
  /** `group_by: ['...']`: group by all labels. */
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly RouteConfig[];
}

/** One inhibition rule: alerts matching `targetMatchers` are muted while an alert matching `sourceMatchers` fires with equal `equal` labels. */
export interface InhibitRuleConfig {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

/** One receiver: its name and its integration configs as written (the `*_configs` lists), plus what the notifier parser returned. */
export interface ReceiverConfig {
  readonly name: string;
  /** The receiver mapping as plain values (secrets included: never log or serve this). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Result of the notifier package's validation of the receiver, when a validator was supplied. */
  readonly integrations?: unknown;
}

/** A parsed, validated alertmanager.yml. */
export interface AlertmanagerConfig {
  readonly source: string;
  /** The text it was parsed from (served by `/api/v2/status` with secrets masked). */
  readonly original: string;
  readonly global: GlobalConfig;
  readonly route: RouteConfig;
  readonly inhibitRules: readonly InhibitRuleConfig[];
  readonly receivers: readonly ReceiverConfig[];
  /** Named time intervals from `time_intervals` and the deprecated `mute_time_intervals`. */
  readonly timeIntervals: ReadonlyMap<string, readonly TimeInterval[]>;
  readonly templates: readonly string[];
}
