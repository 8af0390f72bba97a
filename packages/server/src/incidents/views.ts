import type { IncidentAlertRow, IncidentRow, PublicUpdateRow, TimelineRow } from './repository.js';
import type { Incident, IncidentSummary, PublicIncident } from './types.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The list view of an incident row. */
export function toSummary(r: IncidentRow, alertCount: number): IncidentSummary {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    service: r.service,
    opened_at: iso(r.opened_at),
    ...(r.acknowledged_at !== null ? { acknowledged_at: iso(r.acknowledged_at) } : {}),
    ...(r.resolved_at !== null ? { resolved_at: iso(r.resolved_at) } : {}),
    alert_count: alertCount,
    public: r.is_public,
  };
}

/** The full view of an incident: summary, alerts, timeline, playbook, links, public updates, escalation. */
export function toIncident(r: IncidentRow, alerts: readonly IncidentAlertRow[], timeline: readonly TimelineRow[], updates: readonly PublicUpdateRow[]): Incident {
  return {
    ...toSummary(r, alerts.length),
    summary: r.summary,
    ...(r.group_key !== null ? { group_key: r.group_key } : {}),
    alerts: alerts.map((a) => ({
      fingerprint: a.fingerprint,
      labels: a.labels,
      annotations: a.annotations,
      status: a.status,
      starts_at: iso(a.starts_at),
      ...(a.ends_at !== null && a.status === 'resolved' ? { ends_at: iso(a.ends_at) } : {}),
    })),
    timeline: timeline.map((t) => ({ at: iso(t.at), actor: t.actor, kind: t.kind, text: t.text, ...(t.data ? { data: t.data } : {}) })),
    ...(r.playbook
      ? {
          playbook: {
            name: r.playbook.name,
            steps: r.playbook.steps.map((s, i) => ({
              index: i + 1,
              title: s.title,
              ...(s.action !== undefined ? { action: s.action } : {}),
              ...(s.done_by !== undefined ? { done_by: s.done_by } : {}),
              ...(s.done_at !== undefined ? { done_at: iso(s.done_at) } : {}),
            })),
          },
        }
      : {}),
    links: r.links,
    public_updates: updates.map((u) => ({ at: iso(u.at), status: u.status, text: u.text })),
    ...(r.escalation_chain
      ? { escalation: { level: r.escalation_level, ...(r.escalation_next_at !== null ? { next_at: iso(r.escalation_next_at) } : {}), chain: r.escalation_chain } }
      : {}),
  };
}

/** The status-page view: title, severity, status, times and public updates only. */
export function toPublicIncident(r: IncidentRow, updates: readonly PublicUpdateRow[]): PublicIncident {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    service: r.service,
    opened_at: iso(r.opened_at),
    ...(r.resolved_at !== null ? { resolved_at: iso(r.resolved_at) } : {}),
    updates: updates.map((u) => ({ at: iso(u.at), status: u.status, text: u.text })),
  };
}
