// Small shared pieces: status badges, error boxes, page headings, async data loading.
import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

/** A coloured status word (colour is never the only cue: the word is always shown). */
export function Badge(props: { kind: string; text?: string }) {
  return html`<span class=${`badge badge-${props.kind.replace(/[^a-z]/gi, '').toLowerCase()}`}>${props.text ?? props.kind}</span>`;
}

/** An error message announced to screen readers. */
export function ErrorBox(props: { error: unknown }) {
  if (!props.error) return null;
  const msg = props.error instanceof Error ? props.error.message : String(props.error);
  return html`<p class="error" role="alert">${msg}</p>`;
}

/** The page's h1, focused on navigation so screen readers announce the new page. */
export function PageTitle(props: { children: unknown }) {
  return html`<h1 id="page-title" tabindex="-1">${props.children}</h1>`;
}

/** Loads data with `fn`, re-loading on `deps` changes and when `reload()` is called. */
export function useData<T>(fn: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void; set: (v: T) => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  const set = useCallback((data: T) => setState({ data, error: undefined, loading: false }), []);
  return { ...state, reload, set };
}
