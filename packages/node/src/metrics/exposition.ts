import type { Registry } from 'prom-client';
import type { ExpositionFormat } from '../http/negotiate.js';

interface SampleJson {
  value: number;
  labels?: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Record<string, string | number>;
  exemplar?: { labelSet: Record<string, string | number>; value: number; timestamp: number } | null;
}

interface MetricJson {
  name: string;
  help: string;
  type: string;
  values: SampleJson[];
}

function escapeHelp(text: string, om: boolean): string {
  const s = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return om ? s.replace(/"/g, '\\"') : s;
}

function escapeLabel(value: string | number): string {
  const s = String(value);
  // Fast path: most label values need no escaping.
  if (!/[\\"\n]/.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Record<string, string | number> | undefined, skip?: Record<string, unknown>): string {
  if (!labels) return '';
  let out = '';
  for (const key in labels) {
    const v = labels[key];
    if (v === undefined || (skip && key in skip)) continue;
    out += `${out ? ',' : ''}${key}="${escapeLabel(v)}"`;
  }
  return out;
}

// Histogram series share one label object across their buckets: format it once per render.
const sharedCache = new WeakMap<object, string>();
function formatShared(labels: Record<string, string | number>): string {
  let s = sharedCache.get(labels);
  if (s === undefined) {
    s = formatLabels(labels);
    sharedCache.set(labels, s);
  }
  return s;
}

interface MetricLike {
  get(): Promise<MetricJson> | MetricJson;
  getForPromString?: () => Promise<MetricJson>;
}

/**
 * Renders every metric of a prom-client registry (default labels and collect callbacks included) in the Prometheus
 * text format 0.0.4 or OpenMetrics 1.0 (counter families named without `_total`, exemplars, and the `# EOF` line).
 * Unlike `registry.metrics()` it never changes the registry, so both formats can be served from one registry.
 */
export async function renderExposition(registry: Registry, format: ExpositionFormat): Promise<string> {
  const om = format === 'openmetrics';
  // prom-client keeps default labels privately; read them the way its own renderer applies them.
  const defaults = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels ?? {};
  const hasDefaults = Object.keys(defaults).length > 0;
  const metrics = await Promise.all(
    (registry.getMetricsAsArray() as unknown as MetricLike[]).map((m) => (typeof m.getForPromString === 'function' ? m.getForPromString() : m.get())),
  );
  const lines: string[] = [];
  for (const metric of metrics) {
    const isCounter = metric.type === 'counter';
    let family = metric.name;
    if (om && isCounter && family.endsWith('_total')) family = family.slice(0, -6);
    lines.push(`# HELP ${family} ${escapeHelp(metric.help, om)}`);
    lines.push(`# TYPE ${family} ${metric.type === 'untyped' && om ? 'unknown' : metric.type}`);
    for (const sample of metric.values) {
      let name = sample.metricName ?? metric.name;
      if (om && isCounter && !name.endsWith('_total')) name = `${name}_total`;
      const shared = sample.sharedLabels;
      let labels = formatLabels(sample.labels, shared);
      if (shared) {
        const s = formatShared(shared);
        if (s) labels += labels ? `,${s}` : s;
      }
      if (hasDefaults) {
        for (const key in defaults) {
          if ((sample.labels && key in sample.labels) || (shared && key in shared)) continue;
          labels += `${labels ? ',' : ''}${key}="${escapeLabel(defaults[key]!)}"`;
        }
      }
      let line = `${name}${labels ? `{${labels}}` : ''} ${formatValue(sample.value)}`;
      const ex = sample.exemplar;
      if (om && ex && ex.labelSet && Object.keys(ex.labelSet).length > 0 && ex.value !== undefined) {
        line += ` # {${formatLabels(ex.labelSet)}} ${formatValue(ex.value)} ${ex.timestamp}`;
      }
      lines.push(line);
    }
  }
  return om ? `${lines.join('\n')}\n# EOF\n` : `${lines.join('\n')}\n`;
}
