// Silences: list (active, pending, expired), create with matchers/duration/comment, expire.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ago, when } from '../format.js';
import { useLiveEvent } from '../live.js';
import { go, type Route } from '../router.js';
import { can, type SessionUser } from '../session.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface Matcher { name: string; value: string; isRegex: boolean; isEqual?: boolean }
interface Silence { id: string; status: { state: string }; matchers: Matcher[]; startsAt: string; endsAt: string; createdBy: string; comment: string }

const OPS = ['=', '!=', '=~', '!~'] as const;
const matcherText = (m: Matcher): string => `${m.name}${m.isEqual === false ? (m.isRegex ? '!~' : '!=') : m.isRegex ? '=~' : '='}"${m.value}"`;

/** Parses "name=value" / "name=~re" (the form's and the alert links' syntax). */
function parseMatcher(s: string): Matcher | undefined {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(s);
  if (!m) return undefined;
  const op = m[2]!;
  return { name: m[1]!, value: m[3]!, isRegex: op.endsWith('~'), isEqual: !op.startsWith('!') };
}

function durationMs(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
}

function NewSilence(props: { route: Route; user: SessionUser | null; onDone: () => void }) {
  const initial = props.route.params.getAll('m').map((x) => {
    const i = x.indexOf('=');
    return { name: x.slice(0, i), op: '=' as (typeof OPS)[number], value: x.slice(i + 1) };
  });
  const [rows, setRows] = useState(initial.length ? initial : [{ name: 'alertname', op: '=' as (typeof OPS)[number], value: '' }]);
  const [duration, setDuration] = useState('2h');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const ms = durationMs(duration);
    if (!ms) return setError(new Error('Duration must look like 30m, 2h, 1d or 1w.'));
    const matchers = rows.filter((r) => r.name).map((r) => parseMatcher(`${r.name}${r.op}${r.value}`));
    if (matchers.length === 0 || matchers.some((m) => !m)) return setError(new Error('Every matcher needs a valid label name.'));
    if (!comment.trim()) return setError(new Error('A comment is required.'));
    setBusy(true);
    try {
      const now = Date.now();
      await api('/api/v2/silences', {
        method: 'POST',
        body: { matchers, startsAt: new Date(now).toISOString(), endsAt: new Date(now + ms).toISOString(), createdBy: props.user?.username ?? 'anonymous', comment },
      });
      props.onDone();
      go('/silences');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const update = (i: number, k: 'name' | 'op' | 'value', v: string): void => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));

  return html`<form class="card form" onSubmit=${submit} aria-labelledby="new-silence">
    <h2 id="new-silence">New silence</h2>
    <fieldset>
      <legend>Matchers (all must match)</legend>
      ${rows.map(
        (r, i) => html`<div class="matcher-row">
          <label>Label <input value=${r.name} onInput=${(e: Event) => update(i, 'name', (e.target as HTMLInputElement).value)} required /></label>
          <label>Operator <select value=${r.op} onChange=${(e: Event) => update(i, 'op', (e.target as HTMLSelectElement).value)}>${OPS.map((o) => html`<option value=${o}>${o}</option>`)}</select></label>
          <label>Value <input value=${r.value} onInput=${(e: Event) => update(i, 'value', (e.target as HTMLInputElement).value)} /></label>
          <button type="button" class="small" onClick=${() => setRows(rows.filter((_, j) => j !== i))} aria-label=${`Remove matcher ${r.name}`}>Remove</button>
        </div>`,
      )}
      <button type="button" class="small" onClick=${() => setRows([...rows, { name: '', op: '=', value: '' }])}>Add matcher</button>
    </fieldset>
    <label>Duration <input name="duration" value=${duration} onInput=${(e: Event) => setDuration((e.target as HTMLInputElement).value)} aria-describedby="dur-help" /></label>
    <small id="dur-help" class="muted">e.g. 30m, 2h, 1d</small>
    <label>Comment <textarea name="comment" value=${comment} onInput=${(e: Event) => setComment((e.target as HTMLTextAreaElement).value)} required></textarea></label>
    <${ErrorBox} error=${error} />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy || !can(props.user, 'responder')}>Create silence</button>
      <a class="button" href="#/silences">Cancel</a>
    </div>
  </form>`;
}

/** The silences page (`#/silences`, `#/silences/new?m=name=value`). */
export function SilencesPage(props: { route: Route; user: SessionUser | null }) {
  const { data, error, reload } = useData(() => api<Silence[]>('/api/v2/silences'), []);
  const [actionError, setActionError] = useState<unknown>();
  useLiveEvent('alerts', reload);
  const creating = props.route.parts[1] === 'new';
  const expire = async (s: Silence): Promise<void> => {
    try {
      await api(`/api/v2/silence/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const order = { active: 0, pending: 1, expired: 2 } as Record<string, number>;
  const list = [...(data ?? [])].sort((a, b) => (order[a.status.state] ?? 3) - (order[b.status.state] ?? 3) || b.startsAt.localeCompare(a.startsAt));
  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Silences</${PageTitle}>
    ${creating ? html`<${NewSilence} route=${props.route} user=${props.user} onDone=${reload} />` : html`<p><a class="button primary" href="#/silences/new">New silence</a></p>`}
    <${ErrorBox} error=${error ?? actionError} />
    ${data && list.length === 0 ? html`<p class="muted">No silences.</p>` : null}
    ${list.length
      ? html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">State</th><th scope="col">Matchers</th><th scope="col">Ends</th><th scope="col">Created by</th><th scope="col">Comment</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${list.map(
        (s) => html`<tr data-silence=${s.id}>
          <td><${Badge} kind=${s.status.state} /></td>
          <td class="mono wrap">${s.matchers.map(matcherText).join(', ')}</td>
          <td title=${when(s.endsAt)}>${ago(s.endsAt)}</td>
          <td>${s.createdBy}</td>
          <td class="wrap">${s.comment}</td>
          <td>${s.status.state !== 'expired' && can(props.user, 'responder') ? html`<button class="small" onClick=${() => expire(s)}>Expire<span class="visually-hidden"> silence ${s.matchers.map(matcherText).join(', ')}</span></button>` : null}</td>
        </tr>`,
      )}</tbody>
    </table></div>`
      : null}
  </section>`;
}
