import type { ServiceStatus } from './health.js';

/** A public update of an incident as the incident service gives it. */
export interface PublicIncidentUpdateInput {
  readonly at: string;
  readonly status: string;
  readonly text: string;
}

/**
 * A public incident as the incident service's `publicIncidents()` gives it (only incidents marked
 * public, with only their public updates). Extra fields are ignored: the page copies only these.
 */
export interface PublicIncidentInput {
  readonly id: string | number;
  readonly title: string;
  readonly severity?: string;
  readonly status: string;
  readonly service?: string;
  readonly opened_at: string;
  readonly acknowledged_at?: string;
  readonly resolved_at?: string;
  /** Public updates (`updates` is accepted under that name too). */
  readonly public_updates?: readonly PublicIncidentUpdateInput[];
  readonly updates?: readonly PublicIncidentUpdateInput[];
}

/** Where the status page gets its incidents from (the incident service, when there is one). */
export interface PublicIncidentSource {
  publicIncidents(): readonly PublicIncidentInput[] | Promise<readonly PublicIncidentInput[]>;
  /** Change notifications, when the source has them: the page then shows changes without waiting for its cache. */
  subscribe?(listener: () => void): () => void;
}

/** Public update status values, in the order an incident usually goes through them. */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

/** One incident as the public page shows it. */
export interface PublicIncidentView {
  readonly id: string;
  readonly title: string;
  /** How it affects the services it names. */
  readonly impact: ServiceStatus;
  /** Latest public status: investigating, identified, monitoring or resolved. */
  readonly status: string;
  readonly resolved: boolean;
  /** The configured service it concerns; absent when it names none of them. */
  readonly service?: string;
  readonly opened_at: string;
  readonly resolved_at?: string;
  /** Public updates, newest first. */
  readonly updates: readonly { readonly at: string; readonly status: string; readonly text: string }[];
}

/** The impact an incident of `severity` has on the services it concerns. */
export function impactOfSeverity(severity: string | undefined): ServiceStatus {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
      return 'major_outage';
    case 'high':
    case 'error':
      return 'partial_outage';
    default:
      return 'degraded';
  }
}

function iso(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function text(s: unknown, max: number): string {
  return typeof s === 'string' ? s.slice(0, max) : '';
}

/**
 * Copies the public fields of incidents into the page's own shape: resolved ones only when resolved
 * after `sinceMs`, a service only when it is one of `services` ignoring case (an incident's `checkout`
 * label value is shown as the configured `Checkout`; any other value could be internal),
 * updates newest first, texts bounded.
 */
export function toPublicIncidents(input: readonly PublicIncidentInput[], services: Iterable<string>, sinceMs: number): PublicIncidentView[] {
  const byLower = new Map<string, string>();
  for (const name of services) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  const out: PublicIncidentView[] = [];
  for (const i of input) {
    const opened = iso(i.opened_at);
    if (!opened) continue;
    const resolvedAt = iso(i.resolved_at);
    const resolved = i.status === 'resolved' || resolvedAt !== undefined;
    if (resolved && (!resolvedAt || Date.parse(resolvedAt) < sinceMs)) continue;
    const service = typeof i.service === 'string' ? byLower.get(i.service.toLowerCase()) : undefined;
    const updates = (i.public_updates ?? i.updates ?? [])
      .map((u) => ({ at: iso(u.at), status: (UPDATE_STATUSES as readonly string[]).includes(u.status) ? u.status : 'investigating', text: text(u.text, 4000) }))
      .filter((u): u is { at: string; status: string; text: string } => u.at !== undefined)
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    out.push({
      id: String(i.id).slice(0, 100),
      title: text(i.title, 300),
      impact: impactOfSeverity(i.severity),
      status: resolved ? 'resolved' : (updates[0]?.status ?? 'investigating'),
      resolved,
      ...(service !== undefined ? { service } : {}),
      opened_at: opened,
      ...(resolvedAt ? { resolved_at: resolvedAt } : {}),
      updates,
    });
  }
  return out.sort((a, b) => (a.opened_at < b.opened_at ? 1 : a.opened_at > b.opened_at ? -1 : 0));
}
