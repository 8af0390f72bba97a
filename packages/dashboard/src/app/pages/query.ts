// Query: a PromQL expression evaluated as a range (graph) and at the end time (table). Parse
// errors show where in the expression they are.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, promApi } from '../api.js';
import { Chart, seriesColor } from '../chart.js';
import { labelsText, num } from '../format.js';
import { go, type Route } from '../router.js';
import { PageTitle } from '../ui.js';

interface Matrix { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] }
interface Vector { resultType: 'vector' | 'scalar' | 'string'; result: { metric: Record<string, string>; value: [number, string] }[] | [number, string] }

const RANGES: Record<string, number> = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400 };
const MAX_SERIES = 20;

function position(expr: string, message: string): { line: number; column: number } | undefined {
  const m = /(\d+):(\d+): parse error/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const column = Number(m[2]);
  return line >= 1 && line <= expr.split('\n').length ? { line, column } : undefined;
}

/** The query page (`#/query?expr=...&range=1h`). */
export function QueryPage(props: { route: Route }) {
  const expr0 = props.route.params.get('expr') ?? '';
  const range = props.route.params.get('range') ?? '1h';
  const [expr, setExpr] = useState(expr0);
  const [graph, setGraph] = useState<{ times: number[]; series: { label: string; values: (number | null)[]; color: string }[]; truncated: boolean } | undefined>();
  const [table, setTable] = useState<{ labels: string; value: string }[] | undefined>();
  const [error, setError] = useState<{ message: string; line?: number; column?: number } | undefined>();
  const [running, setRunning] = useState(false);

  const run = async (q: string, r: string): Promise<void> => {
    if (!q.trim()) return;
    setRunning(true);
    setError(undefined);
    const span = RANGES[r] ?? 3600;
    const end = Math.floor(Date.now() / 1000);
    const start = end - span;
    const step = Math.max(1, Math.ceil(span / 250));
    try {
      const [m, v] = await Promise.all([
        promApi<Matrix>(`/api/v1/query_range?${new URLSearchParams({ query: q, start: String(start), end: String(end), step: String(step) })}`),
        promApi<Vector>(`/api/v1/query?${new URLSearchParams({ query: q, time: String(end) })}`),
      ]);
      const times: number[] = [];
      for (let t = start; t <= end; t += step) times.push(t);
      const index = new Map(times.map((t, i) => [t, i]));
      const series = m.result.slice(0, MAX_SERIES).map((s, i) => {
        const values = new Array<number | null>(times.length).fill(null);
        for (const [t, val] of s.values) {
          const k = index.get(Math.round(t));
          if (k !== undefined) values[k] = Number(val);
        }
        return { label: labelsText(s.metric) || q, values, color: seriesColor(i) };
      });
      setGraph({ times, series, truncated: m.result.length > MAX_SERIES });
      if (v.resultType === 'scalar' || v.resultType === 'string') {
        const [, val] = v.result as [number, string];
        setTable([{ labels: v.resultType, value: val }]);
      } else {
        setTable((v.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ labels: `{${labelsText(s.metric)}}`, value: s.value[1] })));
      }
    } catch (err) {
      const message = err instanceof ApiError ? err.message : String(err);
      setGraph(undefined);
      setTable(undefined);
      setError({ message, ...(position(q, message) ?? {}) });
    } finally {
      setRunning(false);
    }
  };

  useEffect(() => {
    setExpr(expr0);
    if (expr0) void run(expr0, range);
  }, [expr0, range]);

  const submit = (e: Event): void => {
    e.preventDefault();
    if (expr === expr0) void run(expr, range);
    else go(`/query?${new URLSearchParams({ expr, range })}`);
  };
  const errLine = error?.line !== undefined ? expr0.split('\n')[error.line - 1] ?? '' : '';

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Query</${PageTitle}>
    <form class="card form" onSubmit=${submit}>
      <label for="expr">PromQL expression</label>
      <textarea id="expr" class="mono" rows="3" value=${expr} spellcheck="false" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'query-error' : undefined}
        onInput=${(e: Event) => setExpr((e.target as HTMLTextAreaElement).value)}
        onKeyDown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e); }}></textarea>
      <div class="actions">
        <label>Range <select value=${range} onChange=${(e: Event) => go(`/query?${new URLSearchParams({ expr, range: (e.target as HTMLSelectElement).value })}`)}>
          ${Object.keys(RANGES).map((r) => html`<option value=${r}>${r}</option>`)}
        </select></label>
        <button type="submit" class="primary" disabled=${running}>${running ? 'Running…' : 'Run query'}</button>
        <span class="muted small">Ctrl+Enter runs</span>
      </div>
    </form>
    ${error
      ? html`<div id="query-error" class="error" role="alert"><p>${error.message}</p>
        ${error.line !== undefined ? html`<pre class="mono caret" aria-label=${`Error at line ${error.line}, column ${error.column}`}>${errLine}\n${' '.repeat(Math.max(0, (error.column ?? 1) - 1))}^</pre>` : null}</div>`
      : null}
    ${graph
      ? html`<section class="card" aria-labelledby="graph-title"><h2 id="graph-title">Graph</h2>
        ${graph.series.length ? html`<${Chart} title=${expr0} times=${graph.times} series=${graph.series} height=${260} format=${(v: number) => num(v)} />` : html`<p class="muted">No data in this range.</p>`}
        ${graph.truncated ? html`<p class="muted">Showing the first ${MAX_SERIES} series.</p>` : null}</section>`
      : null}
    ${table
      ? html`<section class="card" aria-labelledby="table-title"><h2 id="table-title">Table (${table.length} series at the end time)</h2>
        <div class="table-wrap"><table class="result-table"><thead><tr><th scope="col">Series</th><th scope="col">Value</th></tr></thead>
        <tbody>${table.map((r) => html`<tr><td class="mono wrap">${r.labels}</td><td class="mono">${r.value}</td></tr>`)}</tbody></table></div></section>`
      : null}
  </section>`;
}
