// Overview: every service with its health, golden signals and charts, the firing and pending
// alerts and the open incidents, all from one GET /api/vigil/overview, then kept live by the stream.
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, apiResponse } from '../api.js';
import { overviewPath, takeBootPrefetch } from '../boot.js';
import { Chart, chartsDrawn, seriesColor } from '../chart.js';
import { ago, labelsText, num, pct, secs } from '../format.js';
import { useLiveEvent } from '../live.js';
import { Badge, ErrorBox, PageTitle } from '../ui.js';

type Signal = 'request_rate' | 'error_ratio' | 'p50_seconds' | 'p95_seconds' | 'p99_seconds' | 'cpu_percent' | 'memory_percent' | 'event_loop_utilization';
interface Service {
  name: string;
  health: string;
  targets: { up: number; total: number };
  probes: { name: string; success: boolean | null; duration_seconds: number | null; error: string }[];
  dependencies?: { status: string; checks: { name: string; status: string; response_time_ms?: number; error?: string }[] };
  signals: Record<Signal, number | null>;
  series: Record<Signal, (number | null)[]>;
  alerts: { firing: number; pending: number };
}
interface Alert { labels: Record<string, string>; annotations: Record<string, string>; state: string; activeAt: string; value: string }
interface Incident { id: string; title: string; severity: string; status: string; service?: string | null; opened_at: string }
/** Body of /api/vigil/overview. */
export interface Overview {
  generated_at: string;
  range: { start: number; end: number; step: number };
  times: number[];
  services: Service[];
  alerts: { firing: number; pending: number; list: Alert[] };
  incidents: { open: number; acknowledged: number; list: Incident[] } | null;
}

const RANGES = ['15m', '1h', '6h', '24h'];

let prefetched: { range: string; value: Promise<Overview> } | undefined;

/**
 * Starts loading the overview while the app is still checking the session, so the two requests
 * overlap on a page load (a 401 is dropped; the login screen follows from the session check).
 */
export function prefetchOverview(): void {
  // index.html's boot script usually started the request already, before this bundle ran.
  const boot = takeBootPrefetch();
  if (boot) {
    const value = apiResponse<Overview>(boot.response, { quiet401: true });
    value.catch(() => undefined);
    prefetched = { range: boot.range, value };
    return;
  }
  if (location.hash && location.hash !== '#/' && location.hash !== '#') return;
  const range = sessionStorage.getItem('vigil.range') ?? '1h';
  const value = api<Overview>(overviewPath(range), { quiet401: true });
  value.catch(() => undefined);
  prefetched = { range, value };
}

function takePrefetched(range: string): Promise<Overview> | undefined {
  const p = prefetched;
  prefetched = undefined;
  return p && p.range === range ? p.value : undefined;
}
let marked = false;

function ServiceCard(props: { s: Service; times: number[] }) {
  const { s, times } = props;
  const has = (k: Signal): boolean => s.series[k].length > 0;
  const traffic = has('request_rate') ? [{ label: 'req/s', values: s.series.request_rate, color: seriesColor(0) }] : [];
  const errors = has('error_ratio') ? [{ label: 'error %', values: s.series.error_ratio.map((v) => (v === null ? null : v * 100)), color: seriesColor(1) }] : [];
  const latency = (['p50_seconds', 'p95_seconds', 'p99_seconds'] as Signal[]).filter(has).map((k, i) => ({ label: k.slice(0, 3), values: s.series[k], color: seriesColor(i + 2) }));
  const saturation = [
    ...(has('cpu_percent') ? [{ label: 'CPU %', values: s.series.cpu_percent, color: seriesColor(5) }] : []),
    ...(has('memory_percent') ? [{ label: 'memory %', values: s.series.memory_percent, color: seriesColor(6) }] : []),
    ...(has('event_loop_utilization') ? [{ label: 'event loop %', values: s.series.event_loop_utilization.map((v) => (v === null ? null : v * 100)), color: seriesColor(7) }] : []),
  ];
  return html`<article class="card service" aria-labelledby=${`svc-${s.name}`} data-service=${s.name}>
    <header class="card-head">
      <h2 id=${`svc-${s.name}`}>${s.name}</h2>
      <${Badge} kind=${s.health} />
      ${s.alerts.firing > 0 ? html`<a class="badge badge-firing" href=${`#/alerts`}>${s.alerts.firing} firing</a>` : null}
      ${s.alerts.pending > 0 ? html`<span class="badge badge-pending">${s.alerts.pending} pending</span>` : null}
    </header>
    <dl class="signals">
      <div><dt>Requests</dt><dd>${num(s.signals.request_rate)}/s</dd></div>
      <div><dt>Errors</dt><dd>${pct(s.signals.error_ratio, 2)}</dd></div>
      <div><dt>p50 / p95 / p99</dt><dd>${secs(s.signals.p50_seconds)} / ${secs(s.signals.p95_seconds)} / ${secs(s.signals.p99_seconds)}</dd></div>
      <div><dt>CPU</dt><dd>${s.signals.cpu_percent === null ? '–' : `${num(s.signals.cpu_percent, 1)}%`}</dd></div>
      <div><dt>Memory</dt><dd>${s.signals.memory_percent === null ? '–' : `${num(s.signals.memory_percent, 1)}%`}</dd></div>
      <div><dt>Event loop</dt><dd>${pct(s.signals.event_loop_utilization, 0)}</dd></div>
    </dl>
    <p class="checks">
      ${s.targets.total > 0 ? html`<span>Targets ${s.targets.up}/${s.targets.total} up</span>` : null}
      ${s.probes.map((p) => html`<span title=${p.error}>Probe ${p.name}: <${Badge} kind=${p.success === null ? 'unknown' : p.success ? 'up' : 'down'} text=${p.success === null ? 'unknown' : p.success ? 'ok' : 'failing'} /></span>`)}
    </p>
    ${s.dependencies
      ? html`<details class="deps"><summary>Dependencies: ${s.dependencies.status}</summary>
          <ul>${s.dependencies.checks.map((d) => html`<li><${Badge} kind=${d.status} /> ${d.name}${d.response_time_ms !== undefined ? ` (${d.response_time_ms} ms)` : ''}${d.error ? html` — <span class="muted">${d.error}</span>` : null}</li>`)}</ul>
        </details>`
      : null}
    <div class="charts">
      ${traffic.length || errors.length ? html`<${Chart} title="Traffic (req/s) and errors (%)" times=${times} series=${[...traffic, ...errors]} format=${(v: number) => num(v)} />` : null}
      ${latency.length ? html`<${Chart} title="Latency" times=${times} series=${latency} format=${secs} />` : null}
      ${saturation.length ? html`<${Chart} title="Saturation (%)" times=${times} series=${saturation} format=${(v: number) => num(v, 0)} />` : null}
    </div>
  </article>`;
}

/** The overview page. */
export function OverviewPage() {
  const [range, setRange] = useState(() => sessionStorage.getItem('vigil.range') ?? '1h');
  const [data, setData] = useState<Overview | undefined>();
  const [error, setError] = useState<unknown>();
  const rangeRef = useRef(range);
  rangeRef.current = range;

  const loadedAt = useRef(0);
  const load = (r: string): void => {
    loadedAt.current = Date.now();
    const fetchIt = (): Promise<Overview> => api<Overview>(overviewPath(r));
    const pre = takePrefetched(r);
    // A prefetch made before login failed with 401: ask again now.
    (pre ? pre.catch(fetchIt) : fetchIt()).then(
      (o) => {
        performance.mark('vigil:overview-data');
        if (rangeRef.current === r) {
          setData(o);
          setError(undefined);
        }
      },
      setError,
    );
  };
  useEffect(() => load(range), [range]);
  useLiveEvent<Overview>('overview', (o) => {
    // The stream carries the default 1 h window; other windows re-fetch on each push.
    if (rangeRef.current === '1h') setData(o);
    else if (Date.now() - loadedAt.current > 5000) load(rangeRef.current);
  });

  useEffect(() => {
    if (!data || marked) return;
    marked = true;
    performance.mark('vigil:overview-committed');
    void chartsDrawn().then(() => requestAnimationFrame(() => performance.mark('vigil:overview-rendered')));
  }, [data]);

  const services = useMemo(() => data?.services ?? [], [data]);
  const counts = useMemo(() => {
    const c = { up: 0, degraded: 0, down: 0, unknown: 0 } as Record<string, number>;
    for (const s of services) c[s.health] = (c[s.health] ?? 0) + 1;
    return c;
  }, [services]);

  return html`<section aria-labelledby="page-title">
    <${PageTitle}>Overview</${PageTitle}>
    <div class="toolbar">
      <label>Chart window
        <select value=${range} onChange=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; sessionStorage.setItem('vigil.range', v); setRange(v); }}>
          ${RANGES.map((r) => html`<option value=${r}>${r}</option>`)}
        </select>
      </label>
      ${data ? html`<span class="muted" aria-live="polite">Updated ${ago(data.generated_at)}</span>` : null}
    </div>
    <${ErrorBox} error=${error} />
    ${!data && !error ? html`<p>Loading…</p>` : null}
    ${data
      ? html`
      <div class="summary" role="list">
        <div role="listitem" class="stat"><span class="stat-n">${services.length}</span> services (${counts.up} up, ${counts.degraded} degraded, ${counts.down} down)</div>
        <a role="listitem" class="stat" href="#/alerts"><span class="stat-n" data-testid="firing-count">${data.alerts.firing}</span> firing, ${data.alerts.pending} pending alerts</a>
        ${data.incidents ? html`<a role="listitem" class="stat" href="#/incidents"><span class="stat-n">${data.incidents.open}</span> open, ${data.incidents.acknowledged} acknowledged incidents</a>` : null}
      </div>
      <div class="two-col">
        <section aria-labelledby="ov-alerts" class="card">
          <h2 id="ov-alerts">Firing and pending alerts</h2>
          ${data.alerts.list.length === 0
            ? html`<p class="muted">No alerts.</p>`
            : html`<ul class="alert-list">${data.alerts.list.slice(0, 20).map(
                (a) => html`<li class=${`alert alert-${a.state}`}><${Badge} kind=${a.state} /> <strong>${a.labels.alertname}</strong> <${Badge} kind=${a.labels.severity ?? 'none'} text=${a.labels.severity ?? 'no severity'} />
                  <span class="muted">${labelsText(a.labels, ['alertname', 'severity'])}</span> <span class="muted">since ${ago(a.activeAt)}</span>
                  ${a.annotations.summary ? html`<div>${a.annotations.summary}</div>` : null}</li>`,
              )}</ul>`}
        </section>
        ${data.incidents
          ? html`<section aria-labelledby="ov-incidents" class="card">
          <h2 id="ov-incidents">Open incidents</h2>
          ${data.incidents.list.length === 0
            ? html`<p class="muted">No open incidents.</p>`
            : html`<ul class="incident-list">${data.incidents.list.slice(0, 20).map(
                (i) => html`<li><a href=${`#/incidents/${encodeURIComponent(i.id)}`}>${i.title}</a> <${Badge} kind=${i.severity} /> <${Badge} kind=${i.status} /> <span class="muted">${i.service ?? ''} opened ${ago(i.opened_at)}</span></li>`,
              )}</ul>`}
        </section>`
          : null}
      </div>
      <h2 class="section-title">Services</h2>
      ${services.length === 0 ? html`<p class="muted">No services yet: add scrape_configs or probes to vigil.yml.</p>` : null}
      <div class="services">${services.map((s) => html`<${ServiceCard} key=${s.name} s=${s} times=${data.times} />`)}</div>`
      : null}
  </section>`;
}
