// Admin: users (create, change role, disable) and API tokens (create — shown once — and revoke).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ago, when } from '../format.js';
import type { SessionUser } from '../session.js';
import { Badge, ErrorBox, PageTitle, useData } from '../ui.js';

interface User { username: string; role: SessionUser['role']; disabled: boolean; created_at: string }
interface Token { id: string; name: string; role: string; created_by: string; created_at: string; expires_at?: string; revoked_at?: string; last_used_at?: string }
const ROLES = ['viewer', 'responder', 'admin'] as const;

function Users() {
  const { data, error, reload } = useData(() => api<{ users: User[] }>('/api/vigil/users').then((d) => d.users), []);
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer' });
  const [err, setErr] = useState<unknown>();
  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setErr(undefined);
    try {
      await fn();
      reload();
    } catch (e) {
      setErr(e);
    }
  };
  return html`<section class="card" aria-labelledby="users-title">
    <h2 id="users-title">Users</h2>
    <${ErrorBox} error=${error ?? err} />
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${(data ?? []).map(
        (u) => html`<tr>
          <td>${u.username}</td>
          <td><label><span class="visually-hidden">Role of ${u.username}</span>
            <select value=${u.role} onChange=${(e: Event) => run(() => api(`/api/vigil/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body: { role: (e.target as HTMLSelectElement).value } }))}>
              ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
            </select></label></td>
          <td><${Badge} kind=${u.disabled ? 'down' : 'up'} text=${u.disabled ? 'disabled' : 'active'} /></td>
          <td title=${when(u.created_at)}>${ago(u.created_at)}</td>
          <td><button class="small" onClick=${() => run(() => api(`/api/vigil/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body: { disabled: !u.disabled } }))}>${u.disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> ${u.username}</span></button></td>
        </tr>`,
      )}</tbody>
    </table></div>
    <form class="form" onSubmit=${(e: Event) => { e.preventDefault(); void run(async () => { await api('/api/vigil/users', { method: 'POST', body: form }); setForm({ username: '', password: '', role: 'viewer' }); }); }}>
      <h3>Add a user</h3>
      <label>Username <input value=${form.username} autocomplete="off" onInput=${(e: Event) => setForm({ ...form, username: (e.target as HTMLInputElement).value })} required /></label>
      <label>Password <input type="password" autocomplete="new-password" value=${form.password} onInput=${(e: Event) => setForm({ ...form, password: (e.target as HTMLInputElement).value })} required /></label>
      <label>Role <select value=${form.role} onChange=${(e: Event) => setForm({ ...form, role: (e.target as HTMLSelectElement).value })}>${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
      <button type="submit" class="primary">Add user</button>
    </form>
  </section>`;
}

function Tokens() {
  const { data, error, reload } = useData(() => api<{ tokens: Token[] }>('/api/vigil/tokens').then((d) => d.tokens), []);
  const [form, setForm] = useState({ name: '', role: 'viewer', expires_in: '' });
  const [created, setCreated] = useState<string | undefined>();
  const [err, setErr] = useState<unknown>();
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setErr(undefined);
    try {
      const r = await api<{ token: string }>('/api/vigil/tokens', { method: 'POST', body: { name: form.name, role: form.role, ...(form.expires_in ? { expires_in: form.expires_in } : {}) } });
      setCreated(r.token);
      setForm({ name: '', role: 'viewer', expires_in: '' });
      reload();
    } catch (x) {
      setErr(x);
    }
  };
  const revoke = async (t: Token): Promise<void> => {
    try {
      await api(`/api/vigil/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
      reload();
    } catch (x) {
      setErr(x);
    }
  };
  return html`<section class="card" aria-labelledby="tokens-title">
    <h2 id="tokens-title">API tokens</h2>
    <${ErrorBox} error=${error ?? err} />
    ${created ? html`<div class="callout card" role="status"><p>New token — copy it now, it is not shown again:</p><code class="mono wrap">${created}</code></div>` : null}
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${(data ?? []).map(
        (t) => html`<tr>
          <td>${t.name} <span class="muted small">by ${t.created_by}</span></td>
          <td>${t.role}</td>
          <td title=${when(t.created_at)}>${ago(t.created_at)}</td>
          <td>${t.revoked_at ? html`<${Badge} kind="expired" text="revoked" />` : t.expires_at ? ago(t.expires_at) : 'never'}</td>
          <td>${t.last_used_at ? ago(t.last_used_at) : 'never'}</td>
          <td>${t.revoked_at ? null : html`<button class="small" onClick=${() => revoke(t)}>Revoke<span class="visually-hidden"> token ${t.name}</span></button>`}</td>
        </tr>`,
      )}</tbody>
    </table></div>
    <form class="form" onSubmit=${create}>
      <h3>Create a token</h3>
      <label>Name <input value=${form.name} onInput=${(e: Event) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} required /></label>
      <label>Role <select value=${form.role} onChange=${(e: Event) => setForm({ ...form, role: (e.target as HTMLSelectElement).value })}>${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
      <label>Expires in (optional, e.g. 30d) <input value=${form.expires_in} onInput=${(e: Event) => setForm({ ...form, expires_in: (e.target as HTMLInputElement).value })} /></label>
      <button type="submit" class="primary">Create token</button>
    </form>
  </section>`;
}

/** The admin page (`#/admin`): users and API tokens; admins only. */
export function AdminPage(props: { user: SessionUser }) {
  if (props.user.role !== 'admin') return html`<section><${PageTitle}>Admin</${PageTitle}><p>Only admins manage users and tokens.</p></section>`;
  return html`<section aria-labelledby="page-title"><${PageTitle}>Admin</${PageTitle}><${Users} /><${Tokens} /></section>`;
}
