import type { PublicIncidentView } from './incidents.js';
import type { PublicStatus } from './public-status.js';

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function updatedOf(i: PublicIncidentView): string {
  return [i.opened_at, i.resolved_at ?? '', ...i.updates.map((u) => u.at)].reduce((a, b) => (b > a ? b : a));
}

/**
 * Renders the public incidents (current and recently resolved) as an Atom 1.0 feed, one entry per
 * incident whose content lists its public updates. `baseUrl` is the status page's own URL
 * (`https://status.example.com/status`), used for links and entry ids.
 */
export function renderStatusAtom(status: PublicStatus, baseUrl: string): string {
  const all = [...status.incidents, ...status.recent_incidents];
  const updated = all.length ? all.map(updatedOf).reduce((a, b) => (b > a ? b : a)) : status.generated_at;
  const entries = all.map((i) => {
    const lines = i.updates.map((u) => `${u.at} ${u.status}: ${u.text}`);
    const summary = `${i.resolved ? 'Resolved' : 'Ongoing'}${i.service ? ` (${i.service})` : ''}`;
    return `<entry>
<id>${escapeXml(`${baseUrl}#incident-${encodeURIComponent(i.id)}`)}</id>
<title>${escapeXml(i.title)}</title>
<updated>${escapeXml(updatedOf(i))}</updated>
<published>${escapeXml(i.opened_at)}</published>
<link rel="alternate" type="text/html" href="${escapeXml(`${baseUrl}#incident-${encodeURIComponent(i.id)}`)}"/>
<summary>${escapeXml(summary)}</summary>
<content type="text">${escapeXml(lines.join('\n'))}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeXml(`${baseUrl}/feed.atom`)}</id>
<title>${escapeXml(status.title)}: incidents</title>
<updated>${escapeXml(updated)}</updated>
<author><name>${escapeXml(status.title)}</name></author>
<link rel="self" type="application/atom+xml" href="${escapeXml(`${baseUrl}/feed.atom`)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(baseUrl)}"/>
${entries.join('\n')}
</feed>
`;
}
