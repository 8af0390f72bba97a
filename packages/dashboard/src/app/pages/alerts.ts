// Alerts: Alertmanager's groups (active, silenced, inhibited) and the rules' pending alerts, each
// with a "Silence" action that opens the silence form prefilled with the alert's labels.
import { html } from 'htm/preact';
import { api, promApi } from '../api.js';
import { ago, labelsText, safeUrl } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; fingerprint: string; status: { state: string; silencedBy: string[]; inhibitedBy: string[] } }
interface AmGroup { labels: Record<string, string>; receiver: { name: string }; alerts: AmAlert[] }
interface PromAlert { labels: Record<string, string>; annotations: Record<string, string>; state: string; activeAt: string }

/** `#/silences/new?...` link with matchers for every label of the alert. */
export function silenceLink(labels: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(labels)) q.append('m', `${k}=${v}`);
  return `#/silences/new?${q.toString()}`;
}

/** The alerts page. */
export function AlertsPage() {
  const groups = useData(() => api<AmGroup[]>('/api/v2/alerts/groups'), []);
  const pending = useData(() => promApi<{ alerts: PromAlert[] }>('/api/v1/alerts').then((d) => d.alerts.filter((a) => a.state === 'pending')), []);
  useLiveEvent('alerts', () => {
    groups.reload();
    pending.reload();
  });
  const all = (groups.data ?? []).filter((g) => g.alerts.length > 0);
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Alerts</${PageTitle}>
    <${ErrorBox} error=${groups.error ?? pending.error} />
    ${groups.data && all.length === 0 ? html`<p class="muted">No active alerts.</p>` : null}
    ${all.map(
      (g) => html`<section class="card" aria-label=${`Group ${labelsText(g.labels) || 'all'}`}>
        <h2 class="h3">${labelsText(g.labels) || 'Ungrouped'} <span class="muted">→ ${g.receiver.name}</span></h2>
        <ul class="alert-list">${g.alerts.map(
          (a) => html`<li class="alert" data-alertname=${a.labels.alertname}>
            <div class="alert-head">
              <${Badge} kind=${a.status.state === 'suppressed' ? (a.status.silencedBy.length ? 'silenced' : 'inhibited') : 'firing'} />
              <strong>${a.labels.alertname}</strong>
              ${a.labels.severity ? html`<${Badge} kind=${a.labels.severity} />` : null}
              <span class="muted">since ${ago(a.startsAt)}</span>
              <a class="button small" href=${silenceLink(a.labels)}>Silence<span class="visually-hidden"> ${a.labels.alertname}</span></a>
            </div>
            ${a.annotations.summary ? html`<div>${a.annotations.summary}</div>` : null}
            ${a.annotations.description ? html`<div class="muted">${a.annotations.description}</div>` : null}
            <div class="mono small wrap muted">${labelsText(a.labels, ['alertname'])}</div>
            ${safeUrl(a.annotations.runbook_url) ? html`<a href=${safeUrl(a.annotations.runbook_url)} rel="noopener noreferrer" target="_blank">Runbook</a>` : null}
          </li>`,
        )}</ul>
      </section>`,
    )}
    <section class="card" aria-labelledby="pending-title">
      <h2 id="pending-title">Pending (waiting for their <code>for</code> duration)</h2>
      ${(pending.data ?? []).length === 0
        ? html`<p class="muted">None.</p>`
        : html`<ul class="alert-list">${(pending.data ?? []).map(
            (a) => html`<li class="alert"><${Badge} kind="pending" /> <strong>${a.labels.alertname}</strong> <span class="muted">${labelsText(a.labels, ['alertname'])} · active since ${ago(a.activeAt)}</span></li>`,
          )}</ul>`}
    </section>
  </section>`;
}
