// Hash routing (`/ui/#/incidents/42?action=ack`): the server serves one page, so deep links and
// notification links work without server-side routes.
import { useEffect, useState } from 'preact/hooks';

/** The current route: path segments and query parameters of the hash. */
export interface Route {
  readonly path: string;
  readonly parts: readonly string[];
  readonly params: URLSearchParams;
}

/** Parses `location.hash`. */
export function currentRoute(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [p, q] = raw.split('?', 2) as [string, string | undefined];
  const path = p.startsWith('/') ? p : `/${p}`;
  return { path, parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q ?? '') };
}

/** Navigates to a hash route. */
export function go(path: string): void {
  location.hash = `#${path}`;
}

/** The current route, re-rendering on every change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = (): void => setRoute(currentRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
