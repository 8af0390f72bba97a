// Incidents: the list with filters, and the detail page with alerts, timeline, acknowledge /
// resolve / note, playbook checkboxes and runbook/dashboard links. `#/incidents/<id>?action=ack`
// (the link in notifications) asks for a one-click confirmation rather than acting on a GET.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ago, labelsText, safeUrl, when } from '../format.js';
import { useLiveEvent } from '../live.js';
import { go, type Route } from '../router.js';
import { can, type SessionUser } from '../session.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface Summary { id: string; title: string; severity: string; status: string; service?: string | null; opened_at: string; acknowledged_at?: string; resolved_at?: string; alert_count: number; public: boolean }
interface TimelineEntry { at: string; actor: string; kind: string; text: string }
interface Incident extends Summary {
  summary?: string;
  alerts: { fingerprint: string; labels: Record<string, string>; annotations: Record<string, string>; status: string; starts_at: string; ends_at?: string }[];
  timeline: TimelineEntry[];
  playbook?: { name: string; steps: { index: number; title: string; action?: string; done_by?: string; done_at?: string }[] };
  links: { runbook_url?: string; dashboard_url?: string };
  public_updates: { at: string; status: string; text: string }[];
  escalation?: { level: number; next_at?: string; chain: string[] };
}

function IncidentList(props: { route: Route }) {
  const p = props.route.params;
  const status = p.get('status') ?? 'active';
  const severity = p.get('severity') ?? '';
  const service = p.get('service') ?? '';
  const { data, error, reload } = useData(async () => {
    const q = (s: string): string => {
      const u = new URLSearchParams({ limit: '200' });
      if (s) u.set('status', s);
      if (severity) u.set('severity', severity);
      if (service) u.set('service', service);
      return `/api/vigil/incidents?${u.toString()}`;
    };
    if (status === 'active') {
      const [o, a] = await Promise.all([api<{ incidents: Summary[] }>(q('open')), api<{ incidents: Summary[] }>(q('acknowledged'))]);
      return [...o.incidents, ...a.incidents].sort((x, y) => y.opened_at.localeCompare(x.opened_at));
    }
    return (await api<{ incidents: Summary[] }>(q(status === 'all' ? '' : status))).incidents;
  }, [status, severity, service]);
  useLiveEvent('incidents', reload);
  const setFilter = (k: string, v: string): void => {
    const u = new URLSearchParams(p);
    if (v) u.set(k, v);
    else u.delete(k);
    go(`/incidents?${u.toString()}`);
  };
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Incidents</${PageTitle}>
    <form class="toolbar" onSubmit=${(e: Event) => e.preventDefault()} aria-label="Filter incidents">
      <label>Status <select value=${status} onChange=${(e: Event) => setFilter('status', (e.target as HTMLSelectElement).value)}>
        <option value="active">open + acknowledged</option><option value="open">open</option><option value="acknowledged">acknowledged</option><option value="resolved">resolved</option><option value="all">all</option>
      </select></label>
      <label>Severity <select value=${severity} onChange=${(e: Event) => setFilter('severity', (e.target as HTMLSelectElement).value)}>
        <option value="">any</option><option value="critical">critical</option><option value="warning">warning</option><option value="info">info</option>
      </select></label>
      <label>Service <input value=${service} onChange=${(e: Event) => setFilter('service', (e.target as HTMLInputElement).value)} /></label>
    </form>
    <${ErrorBox} error=${error} />
    ${data && data.length === 0 ? html`<p class="muted">No incidents match.</p>` : null}
    ${data && data.length
      ? html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Service</th><th scope="col">Opened</th><th scope="col">Alerts</th></tr></thead>
      <tbody>${data.map(
        (i) => html`<tr>
          <td><a href=${`#/incidents/${encodeURIComponent(i.id)}`}>${i.title}</a></td>
          <td><${Badge} kind=${i.severity} /></td>
          <td><${Badge} kind=${i.status} /></td>
          <td>${i.service ?? ''}</td>
          <td title=${when(i.opened_at)}>${ago(i.opened_at)}</td>
          <td>${i.alert_count}</td>
        </tr>`,
      )}</tbody></table></div>`
      : null}
  </section>`;
}

function IncidentDetail(props: { id: string; route: Route; user: SessionUser | null }) {
  const { data, error, reload, set } = useData(() => api<Incident>(`/api/vigil/incidents/${encodeURIComponent(props.id)}`), [props.id]);
  const [note, setNote] = useState('');
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // The step being checked off shows as checked while the request runs.
  const [checking, setChecking] = useState<number | undefined>();
  useLiveEvent<{ changed?: { id: string } }>('incidents', (e) => {
    if (!e.changed || e.changed.id === props.id) reload();
  });
  const act = async (path: string, body: unknown = {}): Promise<void> => {
    setBusy(true);
    setActionError(undefined);
    try {
      set(await api<Incident>(`/api/vigil/incidents/${encodeURIComponent(props.id)}${path}`, { method: 'POST', body }));
      return;
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  if (error && !data) return html`<section><${PageTitle}>Incident</${PageTitle}><${ErrorBox} error=${error} /></section>`;
  if (!data) return html`<p>Loading…</p>`;
  const i = data;
  const responder = can(props.user, 'responder');
  // Notification links: `?action=acknowledge` / `?action=resolve` (`ack` accepted too).
  const action = props.route.params.get('action');
  const askAck = (action === 'acknowledge' || action === 'ack') && i.status === 'open';
  const askResolve = action === 'resolve' && i.status !== 'resolved';
  const runbook = safeUrl(i.links?.runbook_url);
  const dashboard = safeUrl(i.links?.dashboard_url);
  return html`<section aria-labelledby="page-title" class="incident">
    <p><a href="#/incidents">← All incidents</a></p>
    <${PageTitle}>${i.title}</${PageTitle}>
    <p class="meta">
      <${Badge} kind=${i.severity} /> <${Badge} kind=${i.status} />
      ${i.service ? html`<span>Service <strong>${i.service}</strong></span>` : null}
      <span title=${when(i.opened_at)}>opened ${ago(i.opened_at)}</span>
      ${i.acknowledged_at ? html`<span title=${when(i.acknowledged_at)}>acknowledged ${ago(i.acknowledged_at)}</span>` : null}
      ${i.resolved_at ? html`<span title=${when(i.resolved_at)}>resolved ${ago(i.resolved_at)}</span>` : null}
    </p>
    ${i.summary ? html`<p>${i.summary}</p>` : null}
    ${askAck && responder ? html`<div class="card callout" role="region" aria-label="Acknowledge from notification"><p>You followed an acknowledge link from a notification.</p><button class="primary" disabled=${busy} onClick=${() => act('/acknowledge')}>Acknowledge this incident</button></div>` : null}
    ${askResolve && responder ? html`<div class="card callout" role="region" aria-label="Resolve from notification"><p>You followed a resolve link from a notification.</p><button class="primary" disabled=${busy} onClick=${() => act('/resolve')}>Resolve this incident</button></div>` : null}
    <div class="actions">
      ${responder && i.status === 'open' ? html`<button class="primary" disabled=${busy} onClick=${() => act('/acknowledge')}>Acknowledge</button>` : null}
      ${responder && i.status !== 'resolved' ? html`<button disabled=${busy} onClick=${() => act('/resolve')}>Resolve</button>` : null}
      ${runbook ? html`<a class="button" href=${runbook} target="_blank" rel="noopener noreferrer">Runbook</a>` : null}
      ${dashboard ? html`<a class="button" href=${dashboard} target="_blank" rel="noopener noreferrer">Dashboard</a>` : null}
    </div>
    <${ErrorBox} error=${actionError} />
    ${i.escalation ? html`<p class="muted">Escalation level ${i.escalation.level} of ${i.escalation.chain.join(' → ')}${i.escalation.next_at ? `, next ${ago(i.escalation.next_at)}` : ''}</p>` : null}
    <div class="two-col">
      <section class="card" aria-labelledby="tl-title">
        <h2 id="tl-title">Timeline</h2>
        <ol class="timeline">${[...i.timeline].reverse().map(
          (t) => html`<li class=${`tl-${t.kind}`}><time datetime=${t.at} title=${when(t.at)}>${ago(t.at)}</time> <span class="tl-kind">${t.kind.replace(/_/g, ' ')}</span> <strong class="tl-actor">${t.actor}</strong> <span class="tl-text">${t.text}</span></li>`,
        )}</ol>
        ${responder
          ? html`<form class="form" onSubmit=${async (e: Event) => { e.preventDefault(); if (note.trim()) { await act('/notes', { text: note }); setNote(''); } }}>
          <label>Add a note <textarea value=${note} onInput=${(e: Event) => setNote((e.target as HTMLTextAreaElement).value)}></textarea></label>
          <button type="submit" disabled=${busy || !note.trim()}>Add note</button>
        </form>`
          : null}
      </section>
      <div>
        ${i.playbook
          ? html`<section class="card" aria-labelledby="pb-title">
          <h2 id="pb-title">Playbook: ${i.playbook.name}</h2>
          <ol class="playbook">${i.playbook.steps.map(
            (s) => html`<li><label><input type="checkbox" checked=${!!s.done_at || checking === s.index} disabled=${!responder || !!s.done_at || busy} onChange=${() => { setChecking(s.index); void act(`/playbook/steps/${s.index}`, { done: true }).finally(() => setChecking(undefined)); }} />
              ${s.title}</label>${s.action ? html`<div class="mono small">${s.action}</div>` : null}${s.done_by ? html`<div class="muted small">done by ${s.done_by} ${ago(s.done_at)}</div>` : null}</li>`,
          )}</ol></section>`
          : null}
        <section class="card" aria-labelledby="al-title">
          <h2 id="al-title">Alerts (${i.alerts.length})</h2>
          <ul class="alert-list">${i.alerts.map(
            (a) => html`<li class="alert"><${Badge} kind=${a.status} /> <strong>${a.labels.alertname}</strong> <span class="muted">since ${ago(a.starts_at)}</span>
              ${a.annotations.summary ? html`<div>${a.annotations.summary}</div>` : null}
              <div class="mono small wrap muted">${labelsText(a.labels, ['alertname'])}</div></li>`,
          )}</ul>
        </section>
        ${i.public_updates.length
          ? html`<section class="card" aria-labelledby="pu-title"><h2 id="pu-title">Public updates</h2>
          <ul>${i.public_updates.map((u) => html`<li><${Badge} kind=${u.status} /> ${u.text} <span class="muted">${ago(u.at)}</span></li>`)}</ul></section>`
          : null}
      </div>
    </div>
  </section>`;
}

/** The incidents pages (`#/incidents`, `#/incidents/<id>`). */
export function IncidentsPage(props: { route: Route; user: SessionUser | null }) {
  const id = props.route.parts[1];
  return id ? html`<${IncidentDetail} key=${id} id=${id} route=${props.route} user=${props.user} />` : html`<${IncidentList} route=${props.route} />`;
}
