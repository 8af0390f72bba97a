import type { ServiceStatus } from './health.js';
import type { PublicIncidentView } from './incidents.js';
import type { PublicService, PublicStatus, PublicUptimeDay } from './public-status.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// A symbol next to every state: colour is never the only signal.
const ICON: Readonly<Record<ServiceStatus, string>> = {
  operational: '✓',
  degraded: '!',
  partial_outage: '▲',
  major_outage: '✕',
  unknown: '?',
};

const IMPACT_TEXT: Readonly<Record<ServiceStatus, string>> = {
  operational: 'No impact',
  degraded: 'Minor impact',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'Impact unknown',
};

const UPDATE_TEXT: Readonly<Record<string, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** Bar class of a day: full (≥ 99.9 %), minor (≥ 99 %), partial (≥ 95 %), major, or none (no data). */
export function dayClass(d: PublicUptimeDay): 'ok' | 'minor' | 'partial' | 'major' | 'none' {
  if (d.uptime === null) return 'none';
  if (d.uptime >= 99.9) return 'ok';
  if (d.uptime >= 99) return 'minor';
  if (d.uptime >= 95) return 'partial';
  return 'major';
}

/** The accessible label of a day's bar, e.g. `2026-11-29: 99.93% uptime` or `2026-11-29: no data`. */
export function dayLabel(d: PublicUptimeDay): string {
  if (d.uptime === null) return `${d.date}: no data`;
  const down = d.downtime_minutes > 0 ? `, ${d.downtime_minutes} min outage` : '';
  return `${d.date}: ${formatPercent(d.uptime)} uptime${down}`;
}

function formatPercent(p: number): string {
  return `${p.toFixed(2)}%`;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(formatTime(iso))}</time>`;
}

// Tiny, self-contained CSS: system fonts, no external asset; contrast ≥ 4.5:1 for text and ≥ 3:1 for bars.
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0b57d0}
a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
header,main,footer{max-width:760px;margin:0 auto;padding:0 16px}
header{padding-top:24px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.2rem;margin:28px 0 12px}
h3{font-size:1.05rem;margin:0}
.banner{margin:16px 0 0;padding:14px 16px;border-radius:8px;color:#fff;font-size:1.15rem;font-weight:600}
.s-operational{background:#1a7f37}.s-degraded{background:#9a6700}.s-partial_outage{background:#bc4c00}.s-major_outage{background:#cf222e}.s-unknown{background:#57606a}
.meta{color:#57606a;font-size:.875rem;margin:6px 0 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 16px;margin:0 0 12px}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;align-items:baseline}
.state{font-weight:600;margin:0}
.t-operational{color:#1a7f37}.t-degraded{color:#7d4e00}.t-partial_outage{color:#a40e26}.t-major_outage{color:#a40e26}.t-unknown{color:#57606a}
.desc{margin:4px 0 0;color:#57606a}
.bars{display:flex;gap:1px;list-style:none;margin:12px 0 4px;padding:0;height:34px;align-items:flex-end}
.bars li{flex:1 1 0;min-width:0;height:100%;display:flex;align-items:flex-end}
.bar{display:block;width:100%;border-radius:1px}
.b-ok{height:100%;background:#1a7f37}
.b-minor{height:80%;background:#9a6700}
.b-partial{height:60%;background:#bc4c00}
.b-major{height:45%;background:#cf222e}
.b-none{height:25%;background:#fff;border:1px solid #6e7781}
.range{display:flex;justify-content:space-between;gap:8px;color:#57606a;font-size:.8rem;margin:0}
.sum{margin:6px 0 0;font-size:.9rem}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:0 0 12px;font-size:.85rem;color:#424a53}
.legend li{display:flex;align-items:flex-end;gap:6px}
.legend .bar{width:8px;height:16px}
.legend .b-minor{height:13px}.legend .b-partial{height:10px}.legend .b-major{height:7px}.legend .b-none{height:5px}
.updates{list-style:none;margin:8px 0 0;padding:0}
.updates li{border-left:3px solid #d0d7de;padding:2px 0 2px 10px;margin:6px 0}
.updates p{margin:0;overflow-wrap:anywhere}
.w30{display:none}
@media (max-width:600px){.bars li:nth-child(-n+60){display:none}.w90{display:none}.w30{display:inline}}
footer{padding:24px 16px 32px;color:#57606a;font-size:.875rem}
`;

function renderBars(s: PublicService): string {
  const items = s.days.map((d) => {
    const label = escapeHtml(dayLabel(d));
    return `<li><span class="bar b-${dayClass(d)}" role="img" aria-label="${label}" title="${label}"></span></li>`;
  });
  return `<ol class="bars" aria-label="${escapeHtml(s.name)}: daily uptime, oldest first">${items.join('')}</ol>`;
}

function renderService(s: PublicService, idx: number): string {
  const withData = s.days.filter((d) => d.uptime !== null).length;
  const over = withData === s.days.length ? `the last ${s.days.length} days` : `${withData} day${withData === 1 ? '' : 's'} with data in the last ${s.days.length}`;
  const uptime = s.uptime_percent === null ? 'No uptime data yet' : `${formatPercent(s.uptime_percent)} uptime over ${over}`;
  const n = s.days.length;
  return `<article class="card" aria-labelledby="svc-${idx}">
<div class="row"><h3 id="svc-${idx}">${escapeHtml(s.name)}</h3><p class="state t-${s.status}"><span aria-hidden="true">${ICON[s.status]} </span>${escapeHtml(s.status_text)}</p></div>
${s.description ? `<p class="desc">${escapeHtml(s.description)}</p>` : ''}
${renderBars(s)}
<p class="range"><span><span class="w90">${n} days ago</span><span class="w30">30 days ago</span></span><span>Today</span></p>
<p class="sum">${escapeHtml(uptime)}</p>
</article>`;
}

function renderIncident(i: PublicIncidentView, level: 'h3'): string {
  const updates = i.updates.length
    ? `<ol class="updates">${i.updates
        .map((u) => `<li><p><strong>${escapeHtml(UPDATE_TEXT[u.status] ?? u.status)}</strong> · ${time(u.at)}</p><p>${escapeHtml(u.text)}</p></li>`)
        .join('')}</ol>`
    : '';
  const affects = i.service ? ` · affects ${escapeHtml(i.service)}` : '';
  const state = i.resolved ? `Resolved ${i.resolved_at ? time(i.resolved_at) : ''}` : `${escapeHtml(UPDATE_TEXT[i.status] ?? i.status)} · ${escapeHtml(IMPACT_TEXT[i.impact])}`;
  return `<article class="card" id="incident-${escapeHtml(i.id)}">
<${level}>${escapeHtml(i.title)}</${level}>
<p class="meta">${state}${affects} · opened ${time(i.opened_at)}</p>
${updates}
</article>`;
}

const LEGEND = `<ul class="legend" aria-label="Legend of the daily bars">
<li><span class="bar b-ok" aria-hidden="true"></span>99.9% or more</li>
<li><span class="bar b-minor" aria-hidden="true"></span>99% to 99.9%</li>
<li><span class="bar b-partial" aria-hidden="true"></span>95% to 99%</li>
<li><span class="bar b-major" aria-hidden="true"></span>below 95%</li>
<li><span class="bar b-none" aria-hidden="true"></span>no data</li>
</ul>`;

/**
 * Renders the public status page as one self-contained HTML document (inline CSS, no script, no
 * external asset): overall state, current incidents with their public updates, each service's
 * state with 90 daily uptime bars (each labelled for assistive technology), and recent incidents.
 * Every text from config or incidents is escaped.
 */
export function renderStatusHtml(status: PublicStatus): string {
  const overall = status.status.indicator;
  const current = status.incidents.length
    ? status.incidents.map((i) => renderIncident(i, 'h3')).join('\n')
    : `<p>${status.incidents_available ? 'No current incidents.' : 'Incident information is unavailable right now.'}</p>`;
  const services = status.services.length ? status.services.map((s, i) => renderService(s, i)).join('\n') : '<p>No services are configured.</p>';
  const past = status.recent_incidents.length ? status.recent_incidents.map((i) => renderIncident(i, 'h3')).join('\n') : '<p>No incidents in the last days.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(status.title)}</title>
<link rel="alternate" type="application/atom+xml" title="Incidents" href="/status/feed.atom">
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<h1>${escapeHtml(status.title)}</h1>
${status.description ? `<p class="desc">${escapeHtml(status.description)}</p>` : ''}
<p class="banner s-${overall}" role="status"><span aria-hidden="true">${ICON[overall]} </span>${escapeHtml(status.status.description)}</p>
<p class="meta">Updated ${time(status.generated_at)}</p>
</header>
<main id="main">
<section aria-labelledby="h-current">
<h2 id="h-current">Current incidents</h2>
${current}
</section>
<section aria-labelledby="h-services">
<h2 id="h-services">Services</h2>
${status.history_available ? '' : '<p>Uptime history is unavailable right now.</p>'}
${LEGEND}
${services}
</section>
<section aria-labelledby="h-past">
<h2 id="h-past">Recently resolved</h2>
${past}
</section>
</main>
<footer>
<p><a href="/status/feed.atom">Incident feed (Atom)</a> · <a href="/api/public/status">Status as JSON</a> · Powered by Vigil</p>
</footer>
</body>
</html>
`;
}
