/** The actions an incident link can ask the dashboard to perform. */
export type IncidentLinkAction = 'view' | 'acknowledge' | 'resolve';

/**
 * The dashboard URL of an incident, `<externalURL>/ui/#/incidents/<id>`, with `?action=acknowledge`
 * or `?action=resolve` for the links notifications carry (the dashboard asks to confirm, then acts).
 * The one place that knows the link format.
 */
export function incidentLink(externalURL: string, id: string, action: IncidentLinkAction = 'view'): string {
  const base = `${externalURL.replace(/\/+$/, '')}/ui/#/incidents/${encodeURIComponent(id)}`;
  return action === 'view' ? base : `${base}?action=${action}`;
}
