import type { Labels } from '@vigil/engine';

/** Names of the golden-signal series the overview computes per service. */
export const SIGNAL_NAMES = ['request_rate', 'error_ratio', 'p50_seconds', 'p95_seconds', 'p99_seconds', 'cpu_percent', 'memory_percent', 'event_loop_utilization'] as const;

/** One golden signal name. */
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** One dependency of a service as its `/health/detailed` reports it. */
export interface ServiceDependency {
  readonly name: string;
  readonly status: string;
  readonly critical?: boolean;
  readonly response_time_ms?: number;
  readonly error?: string;
}

/** One service on the overview: health, latest golden signals and their series. */
export interface OverviewService {
  readonly name: string;
  /** `up` when every check passes, `down` when none does, `degraded` in between, `unknown` with no checks yet. */
  readonly health: 'up' | 'degraded' | 'down' | 'unknown';
  readonly targets: { readonly up: number; readonly total: number };
  readonly probes: readonly { readonly name: string; readonly success: boolean | null; readonly duration_seconds: number | null; readonly error: string }[];
  /** From the service's `/health/detailed` when a probe or target gives its base URL and it answers. */
  readonly dependencies?: { readonly status: string; readonly checks: readonly ServiceDependency[] };
  /** Latest value of each signal (null when the service does not expose it). */
  readonly signals: Readonly<Record<SignalName, number | null>>;
  /** Each signal at every time of `OverviewResponse.times` (null where no value). */
  readonly series: Readonly<Record<SignalName, readonly (number | null)[]>>;
  readonly alerts: { readonly firing: number; readonly pending: number };
}

/** An alert as the overview lists it (from the rule runtime). */
export interface OverviewAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

/** An incident as the overview lists it (the incidents API's summary shape). */
export interface OverviewIncident {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly service?: string | null;
  readonly opened_at: string;
  readonly [k: string]: unknown;
}

/** Body of `GET /api/vigil/overview`. */
export interface OverviewResponse {
  readonly generated_at: string;
  /** Chart window in seconds since the epoch and step in seconds. */
  readonly range: { readonly start: number; readonly end: number; readonly step: number };
  /** Shared x axis of every service's series (seconds since the epoch): the window's start and end, and every multiple of the step between them. */
  readonly times: readonly number[];
  readonly services: readonly OverviewService[];
  readonly alerts: { readonly firing: number; readonly pending: number; readonly list: readonly OverviewAlert[] };
  /** Open and acknowledged incidents; null when incidents are not enabled. */
  readonly incidents: { readonly open: number; readonly acknowledged: number; readonly list: readonly OverviewIncident[] } | null;
}

/** Source of incidents for the overview and the live stream (the incident service satisfies it). */
export interface IncidentFeed {
  /** Open and acknowledged incidents, newest first. */
  active(): Promise<readonly OverviewIncident[]> | readonly OverviewIncident[];
  /** Calls `listener` on every incident change; returns the unsubscribe function. */
  subscribe(listener: (e: { type: 'incident'; incident: OverviewIncident }) => void): () => void;
}
