/** Incident severities, most severe first (`critical > high > warning > info`). */
export type IncidentSeverity = 'critical' | 'high' | 'warning' | 'info';

/** Lifecycle states: open → acknowledged → resolved (a reopened incident is open again). */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

/** Kinds of timeline entries. */
export type TimelineKind =
  | 'opened'
  | 'alert_firing'
  | 'alert_resolved'
  | 'acknowledged'
  | 'resolved'
  | 'reopened'
  | 'note'
  | 'notification'
  | 'escalated'
  | 'playbook_step'
  | 'automation'
  | 'public_update';

/** Status of a public (status page) update. */
export type PublicUpdateStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/**
 * An incident as lists show it (`GET /api/vigil/incidents`); times are RFC 3339 strings. A type
 * alias (not an interface) so it is assignable to index-signature record types such as the
 * dashboard's feed items.
 */
export type IncidentSummary = {
  readonly id: string;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly status: IncidentStatus;
  readonly service: string;
  readonly opened_at: string;
  readonly acknowledged_at?: string;
  readonly resolved_at?: string;
  readonly alert_count: number;
  readonly public: boolean;
};

/** One alert linked to an incident, with its last known status. */
export interface IncidentAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly status: 'firing' | 'resolved';
  readonly starts_at: string;
  readonly ends_at?: string;
}

/** One timeline entry: what happened, when, and who did it (`vigil` for the system, `anonymous` without auth). */
export interface TimelineEntry {
  readonly at: string;
  readonly actor: string;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** One step of an incident's playbook; `index` is 1-based as in guide 000's playbooks. */
export interface PlaybookStepState {
  readonly index: number;
  readonly title: string;
  readonly action?: string;
  readonly done_by?: string;
  readonly done_at?: string;
}

/** A public update shown on the status page. */
export interface PublicUpdate {
  readonly at: string;
  readonly status: PublicUpdateStatus;
  readonly text: string;
}

/** Escalation state: the next chain level to notify and when. */
export interface EscalationView {
  /** How many receivers of the chain have been notified. */
  readonly level: number;
  readonly next_at?: string;
  readonly chain: readonly string[];
}

/** An incident with everything about it (`GET /api/vigil/incidents/:id`). */
export interface Incident extends IncidentSummary {
  readonly summary: string;
  readonly group_key?: string;
  readonly alerts: readonly IncidentAlert[];
  readonly timeline: readonly TimelineEntry[];
  readonly playbook?: { readonly name: string; readonly steps: readonly PlaybookStepState[] };
  readonly links: { readonly runbook_url?: string; readonly dashboard_url?: string };
  readonly public_updates: readonly PublicUpdate[];
  readonly escalation?: EscalationView;
}

/** A public incident as the status page may show it: no labels, alerts, timeline or internal names. */
export interface PublicIncident {
  readonly id: string;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly status: IncidentStatus;
  /** The service it concerns (the status page maps it to its configured services). */
  readonly service: string;
  readonly opened_at: string;
  readonly resolved_at?: string;
  readonly updates: readonly PublicUpdate[];
}

/** The event the incident service publishes on every change. */
export interface IncidentEvent {
  readonly type: 'incident';
  readonly incident: IncidentSummary;
}

/** MTTA/MTTR of one (service, severity) over a period; seconds, null when no incident qualifies. */
export interface IncidentStatsGroup {
  readonly service: string;
  readonly severity: IncidentSeverity;
  readonly count: number;
  readonly mtta_seconds: number | null;
  readonly mttr_seconds: number | null;
}

/** Filters of {@link IncidentService.list}. */
export interface IncidentListFilter {
  readonly status?: IncidentStatus;
  readonly service?: string;
  readonly severity?: IncidentSeverity;
  /** Default 100, at most 1000. */
  readonly limit?: number;
}
