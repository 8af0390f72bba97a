// Login: username and password against /api/vigil/auth/login.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { login, type SessionUser } from '../session.js';
import { ErrorBox } from '../ui.js';

/** The login screen. */
export function LoginPage(props: { onLogin: (u: SessionUser) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onLogin(await login(username, password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<main id="main" class="login">
    <form class="card form" onSubmit=${submit} aria-labelledby="login-title">
      <h1 id="login-title">Sign in to Vigil</h1>
      <label>Username <input ref=${first} name="username" autocomplete="username" value=${username} onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} required /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
      <p class="muted small"><a href="/status">Public status page</a></p>
    </form>
  </main>`;
}
