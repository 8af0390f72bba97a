// A tiny classic script that index.html runs before the app bundle: it starts the overview
// request as soon as the HTML is parsed, so the server computes the overview while the browser
// is still evaluating the app (≈ 100–200 ms on a loaded machine). The app picks the response up
// in pages/overview.ts (`prefetchOverview`); anything else (another page, a 401) is handled there.

/** What boot.ts leaves for the app on `globalThis`. */
export interface BootPrefetch {
  readonly range: string;
  readonly response: Promise<Response>;
}

/** Where boot.ts leaves its request; read once by `takeBootPrefetch`. */
export const BOOT_KEY = '__vigilBootOverview';

/** The overview request path of a chart window, the same for boot.ts and the app. */
export function overviewPath(range: string): string {
  return `/api/vigil/overview?range=${encodeURIComponent(range)}`;
}

/** Starts the overview request when the page opens on the overview (no hash route or `#/`). */
export function bootPrefetch(): void {
  if (location.hash && location.hash !== '#/' && location.hash !== '#') return;
  let range = '1h';
  try {
    range = sessionStorage.getItem('vigil.range') ?? '1h';
  } catch {
    // Storage disabled: the default window.
  }
  const response = fetch(overviewPath(range), { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  // Failures surface where the app reads it; never an unhandled rejection here.
  response.catch(() => undefined);
  (globalThis as Record<string, unknown>)[BOOT_KEY] = { range, response } satisfies BootPrefetch;
}

/** The request boot.ts started, once (later calls get undefined). */
export function takeBootPrefetch(): BootPrefetch | undefined {
  const g = globalThis as Record<string, unknown>;
  const p = g[BOOT_KEY] as BootPrefetch | undefined;
  delete g[BOOT_KEY];
  return p;
}
