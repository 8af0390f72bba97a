// Targets: every scrape target grouped by job, with health, last scrape, duration and error; live.
import { html } from 'htm/preact';
import { promApi } from '../api.js';
import { ago, labelsText, secs } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface Target { labels: Record<string, string>; scrapePool: string; scrapeUrl: string; lastError: string; lastScrape: string | null; lastScrapeDuration: number; health: string }

/** The targets page. */
export function TargetsPage() {
  const { data, error, set } = useData(() => promApi<{ activeTargets: Target[] }>('/api/v1/targets').then((d) => d.activeTargets), []);
  useLiveEvent<Target[]>('targets', set);
  const pools = new Map<string, Target[]>();
  for (const t of data ?? []) pools.set(t.scrapePool, [...(pools.get(t.scrapePool) ?? []), t]);
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Targets</${PageTitle}>
    <${ErrorBox} error=${error} />
    ${data && data.length === 0 ? html`<p class="muted">No scrape targets configured.</p>` : null}
    ${[...pools].map(
      ([pool, ts]) => html`<section class="card" aria-labelledby=${`pool-${pool}`}>
        <h2 id=${`pool-${pool}`}>${pool} <span class="muted">(${ts.filter((t) => t.health === 'up').length}/${ts.length} up)</span></h2>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">Endpoint</th><th scope="col">State</th><th scope="col">Labels</th><th scope="col">Last scrape</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
          <tbody>${ts.map(
            (t) => html`<tr>
              <td class="mono wrap">${t.scrapeUrl}</td>
              <td><${Badge} kind=${t.health} /></td>
              <td class="mono wrap">${labelsText(t.labels, ['job'])}</td>
              <td>${ago(t.lastScrape)}</td>
              <td>${secs(t.lastScrapeDuration)}</td>
              <td class="wrap error-text">${t.lastError}</td>
            </tr>`,
          )}</tbody>
        </table></div>
      </section>`,
    )}
  </section>`;
}
