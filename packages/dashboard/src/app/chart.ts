// A uPlot time-series chart as a Preact component. uPlot draws thousands of points on a canvas in
// a few milliseconds, which keeps an overview of many services fast.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

/** One line of a chart. */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** The i-th series colour (readable on light and dark backgrounds). */
export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

// Read once per theme, not per chart: getComputedStyle after the previous chart's DOM writes
// would force a style recalculation of the whole page for every chart drawn.
let colors: { axis: string; grid: string } | undefined;
function themeColors(): { axis: string; grid: string } {
  if (colors) return colors;
  const cs = getComputedStyle(document.documentElement);
  colors = { axis: cs.getPropertyValue('--fg-muted').trim() || '#555', grid: cs.getPropertyValue('--border').trim() || '#ddd' };
  return colors;
}

/** Event fired on `window` when the colour theme changes: charts redraw with the new colours. */
export const THEME_EVENT = 'vigil-theme';

function useThemeVersion(): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    const on = (): void => {
      colors = undefined;
      setV((x) => x + 1);
    };
    addEventListener(THEME_EVENT, on);
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', on);
    return () => {
      removeEventListener(THEME_EVENT, on);
      mq.removeEventListener('change', on);
    };
  }, []);
  return v;
}

let pendingCharts = 0;
const settled: (() => void)[] = [];

function release(counted: { current: boolean }): void {
  if (!counted.current) return;
  counted.current = false;
  pendingCharts--;
  if (pendingCharts === 0) for (const r of settled.splice(0)) r();
}

/** Resolves once every chart that was on screen when mounted has been drawn (others draw when scrolled to). */
export function chartsDrawn(): Promise<void> {
  return pendingCharts === 0 ? Promise.resolve() : new Promise((r) => settled.push(r));
}

/**
 * A time-series chart: `times` in seconds since the epoch, one line per series; redraws in place
 * when the data changes (live updates) and resizes with its container.
 */
export function Chart(props: { title: string; times: readonly number[]; series: readonly ChartSeries[]; height?: number; format?: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const drawnWith = useRef<unknown>(null);
  const shape = props.series.map((s) => s.label).join('\u0000');
  const theme = useThemeVersion();
  // Charts are drawn when they come into view: a page of 50 services shows its first screen
  // without drawing 150 canvases first. `counted`: this chart holds up `chartsDrawn()`.
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  const counted = useRef(false);
  // The box's width as the IntersectionObserver saw it: reading clientWidth instead would force a
  // layout of the page for each chart created (the charts of one screen are created together).
  const seenWidth = useRef<number | undefined>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el || visible) return;
    pendingCharts++;
    counted.current = true;
    let first = true;
    const io = new IntersectionObserver((entries) => {
      const hit = entries.find((e) => e.isIntersecting);
      if (hit) {
        seenWidth.current = hit.boundingClientRect.width;
        io.disconnect();
        setVisible(true);
      } else if (first) release(counted);
      first = false;
    }, { rootMargin: '200px' });
    io.observe(el);
    return () => {
      io.disconnect();
      release(counted);
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || !visible) return;
    const { axis, grid } = themeColors();
    const fmt = props.format ?? ((v: number) => String(v));
    const opts: uPlot.Options = {
      width: Math.max(200, seenWidth.current ?? el.clientWidth),
      height: props.height ?? 140,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 56, values: (_u, vals) => vals.map((v) => fmt(v)) },
      ],
      // Sparse series (a fresh monitor, a new service) get point markers: isolated values draw no line.
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false, points: { show: s.values.filter((v) => v !== null).length < 40, size: 4, fill: s.color }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmt(v)) }))],
    };
    const u = new uPlot(opts, [props.times as number[], ...props.series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData, el);
    plot.current = u;
    drawnWith.current = props.series;
    // Later (theme change, new series set) the width is read from the layout again.
    seenWidth.current = undefined;
    requestAnimationFrame(() => release(counted));
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: props.height ?? 140 });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-created only when the set of series changes; data updates go through setData below.
  }, [shape, props.height, theme, visible]);

  useEffect(() => {
    if (!plot.current || drawnWith.current === props.series) return;
    drawnWith.current = props.series;
    plot.current.setData([props.times as number[], ...props.series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData);
  }, [props.times, props.series]);

  return html`<figure class="chart">
    <figcaption>${props.title}</figcaption>
    <div ref=${box} class="chart-canvas" style=${`min-height:${(props.height ?? 140) + 34}px`} role="img" aria-label=${`${props.title} chart`}></div>
  </figure>`;
}
