// The dashboard's entry: session check, layout (skip link, main menu, live status), hash routes.
import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { setUnauthenticatedHandler } from './api.js';
import { THEME_EVENT } from './chart.js';
import { connectLive, disconnectLive, useLiveStatus } from './live.js';
import { AdminPage } from './pages/admin.js';
import { AlertsPage } from './pages/alerts.js';
import { IncidentsPage } from './pages/incidents.js';
import { LoginPage } from './pages/login.js';
import { OverviewPage, prefetchOverview } from './pages/overview.js';
import { QueryPage } from './pages/query.js';
import { RulesPage } from './pages/rules.js';
import { SilencesPage } from './pages/silences.js';
import { TargetsPage } from './pages/targets.js';
import { useRoute } from './router.js';
import { loadSession, logout, type SessionUser } from './session.js';
import { ErrorBox } from './ui.js';

const MENU: [string, string][] = [
  ['/', 'Overview'],
  ['/alerts', 'Alerts'],
  ['/incidents', 'Incidents'],
  ['/silences', 'Silences'],
  ['/targets', 'Targets'],
  ['/rules', 'Rules'],
  ['/query', 'Query'],
];

function applyTheme(theme: string | null): void {
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function Layout(props: { user: SessionUser; onLogout: () => void }) {
  const route = useRoute();
  const live = useLiveStatus();
  const [theme, setTheme] = useState(() => localStorage.getItem('vigil.theme'));
  const section = `/${route.parts[0] ?? ''}`;
  const menu = props.user.role === 'admin' && props.user.username !== 'anonymous' ? [...MENU, ['/admin', 'Admin'] as [string, string]] : MENU;
  useEffect(() => {
    // Move focus to the new page's heading so keyboard and screen-reader users land on it.
    const h = document.getElementById('page-title');
    if (h && document.activeElement && document.activeElement !== document.body && document.activeElement.closest('nav')) h.focus();
    document.title = `${menu.find(([p]) => p === section)?.[1] ?? 'Vigil'} · Vigil`;
  }, [section, route.parts[1]]);
  const toggleTheme = (): void => {
    const dark = theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    const next = dark ? 'light' : 'dark';
    localStorage.setItem('vigil.theme', next);
    applyTheme(next);
    setTheme(next);
    dispatchEvent(new Event(THEME_EVENT));
  };
  let page;
  switch (section) {
    case '/alerts': page = html`<${AlertsPage} />`; break;
    case '/incidents': page = html`<${IncidentsPage} route=${route} user=${props.user} />`; break;
    case '/silences': page = html`<${SilencesPage} route=${route} user=${props.user} />`; break;
    case '/targets': page = html`<${TargetsPage} />`; break;
    case '/rules': page = html`<${RulesPage} />`; break;
    case '/query': page = html`<${QueryPage} route=${route} />`; break;
    case '/admin': page = html`<${AdminPage} user=${props.user} />`; break;
    default: page = html`<${OverviewPage} />`;
  }
  return html`
    <a class="skip-link" href="#main" onClick=${(e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
    <header class="topbar">
      <a class="brand" href="#/">Vigil</a>
      <nav aria-label="Main menu">
        <ul>${menu.map(([p, label]) => html`<li><a href=${`#${p}`} aria-current=${section === p ? 'page' : undefined}>${label}</a></li>`)}</ul>
      </nav>
      <div class="session">
        <span class=${`live live-${live}`} role="status" aria-live="polite">${live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline, retrying'}</span>
        <button class="small" onClick=${toggleTheme} aria-label="Switch between light and dark theme">Theme</button>
        <span class="user">${props.user.username} <span class="muted">(${props.user.role})</span></span>
        ${props.user.username !== 'anonymous' ? html`<button class="small" onClick=${props.onLogout}>Sign out</button>` : null}
      </div>
    </header>
    <main id="main" tabindex="-1">${page}</main>`;
}

function App() {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      disconnectLive();
      setUser(null);
    });
    loadSession().then(setUser, setError);
  }, []);
  useEffect(() => {
    if (user) connectLive();
  }, [user]);
  if (error) return html`<main id="main"><h1>Vigil</h1><${ErrorBox} error=${error} /></main>`;
  if (user === undefined) return html`<main id="main"><p>Loading…</p></main>`;
  if (user === null) return html`<${LoginPage} onLogin=${setUser} />`;
  return html`<${Layout} user=${user} onLogout=${async () => { disconnectLive(); await logout(); setUser(null); }} />`;
}

performance.mark('vigil:app-start');
applyTheme(localStorage.getItem('vigil.theme'));
prefetchOverview();
const container = document.getElementById('app')!;
// Preact appends to the container: drop the static "Loading" placeholder first.
container.textContent = '';
render(html`<${App} />`, container);
