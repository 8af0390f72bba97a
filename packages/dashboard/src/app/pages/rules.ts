// Rules: every group with each rule's state, health, last evaluation, duration and error.
import { html } from 'htm/preact';
import { promApi } from '../api.js';
import { ago, labelsText, secs } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface Rule { type: 'alerting' | 'recording'; name: string; query: string; duration?: number; labels: Record<string, string>; health: string; lastError?: string; evaluationTime: number; lastEvaluation: string; state?: string; alerts?: unknown[] }
interface Group { name: string; file: string; interval: number; rules: Rule[]; evaluationTime: number; lastEvaluation: string }

/** The rules page. */
export function RulesPage() {
  const { data, error, reload } = useData(() => promApi<{ groups: Group[] }>('/api/v1/rules').then((d) => d.groups), []);
  useLiveEvent('alerts', reload);
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Rules</${PageTitle}>
    <${ErrorBox} error=${error} />
    ${data && data.length === 0 ? html`<p class="muted">No rule files loaded.</p>` : null}
    ${(data ?? []).map(
      (g) => html`<section class="card" aria-labelledby=${`g-${g.file}-${g.name}`}>
        <h2 id=${`g-${g.file}-${g.name}`}>${g.name}</h2>
        <p class="muted">${g.file} · every ${g.interval}s · last evaluated ${ago(g.lastEvaluation)} in ${secs(g.evaluationTime)}</p>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Rule</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Last evaluation</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
          <tbody>${g.rules.map(
            (r) => html`<tr>
              <td><strong>${r.name}</strong> <span class="muted">${r.type === 'alerting' ? 'alert' : 'record'}</span>
                <div class="mono wrap small">${r.query}${r.type === 'alerting' && r.duration ? ` for ${r.duration}s` : ''}</div>
                ${Object.keys(r.labels).length ? html`<div class="mono wrap small muted">${labelsText(r.labels)}</div>` : null}</td>
              <td>${r.type === 'alerting' ? html`<${Badge} kind=${r.state ?? 'inactive'} />${r.alerts && r.alerts.length ? ` (${r.alerts.length})` : ''}` : '–'}</td>
              <td><${Badge} kind=${r.health === 'ok' ? 'up' : r.health === 'err' ? 'down' : 'unknown'} text=${r.health} /></td>
              <td>${ago(r.lastEvaluation)}</td>
              <td>${secs(r.evaluationTime)}</td>
              <td class="wrap error-text">${r.lastError ?? ''}</td>
            </tr>`,
          )}</tbody>
        </table></div>
      </section>`,
    )}
  </section>`;
}
