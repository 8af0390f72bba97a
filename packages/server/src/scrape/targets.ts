import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Labels } from '@vigil/engine';
import type { ScrapeConfig } from '../config/types.js';
import { expandGlobSync } from '../fs/glob.js';
import { relabel } from './relabel.js';

/** One scrape target after relabeling. */
export interface ScrapeTarget {
  /** Stable identity: job plus final labels. */
  readonly key: string;
  readonly job: string;
  readonly url: string;
  /** Labels attached to every sample (job, instance, static labels). */
  readonly labels: Labels;
  /** Labels before relabeling, as Prometheus shows them. */
  readonly discoveredLabels: Labels;
  readonly config: ScrapeConfig;
}

function readFileSd(file: string): { targets: string[]; labels: Record<string, string> }[] {
  try {
    const text = readFileSync(file, 'utf8');
    const data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return Array.isArray(data) ? data.map((g) => ({ targets: (g.targets ?? []).map(String), labels: g.labels ?? {} })) : [];
  } catch {
    // An unreadable or half-written file keeps no targets until the next refresh, as Prometheus does.
    return [];
  }
}

/**
 * Builds the targets of one scrape job from its static and file-based groups, applying
 * relabel_configs; the `__address__`, `__scheme__`, `__metrics_path__` and `__param_*` labels
 * decide the URL, and `instance` defaults to the address. Targets that relabeling drops have
 * their discovered labels pushed to `dropped` when given.
 */
export function buildTargets(cfg: ScrapeConfig, dropped?: Labels[]): ScrapeTarget[] {
  const groups = [...cfg.static_configs.map((s) => ({ targets: [...s.targets], labels: { ...s.labels } }))];
  // File names may be globs, as in Prometheus (`targets/*.json`).
  for (const f of cfg.file_sd_configs) for (const pattern of f.files) for (const file of expandGlobSync(pattern)) groups.push(...readFileSd(file));
  const out: ScrapeTarget[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const address of g.targets) {
      const base: Record<string, string> = {
        job: cfg.job_name,
        ...g.labels,
        __address__: address,
        __scheme__: cfg.scheme,
        __metrics_path__: cfg.metrics_path,
        __scrape_interval__: `${cfg.scrape_interval_ms / 1000}s`,
        __scrape_timeout__: `${cfg.scrape_timeout_ms / 1000}s`,
      };
      for (const [k, vs] of Object.entries(cfg.params)) if (vs[0] !== undefined) base[`__param_${k}`] = vs[0];
      const lb = relabel(base, cfg.relabel_configs);
      if (!lb || !lb.__address__) {
        // Dropped by relabeling (or left without an address): reported as Prometheus's droppedTargets.
        dropped?.push(base);
        continue;
      }
      const params = new URLSearchParams();
      for (const [k, vs] of Object.entries(cfg.params)) for (const v of vs) params.append(k, v);
      for (const [k, v] of Object.entries(lb)) if (k.startsWith('__param_')) params.set(k.slice(8), v);
      const qs = params.toString();
      const url = `${lb.__scheme__ ?? cfg.scheme}://${lb.__address__}${lb.__metrics_path__ ?? cfg.metrics_path}${qs ? `?${qs}` : ''}`;
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(lb)) if (!k.startsWith('__')) labels[k] = v;
      if (!labels.instance) labels.instance = lb.__address__;
      const key = `${cfg.job_name}|${url}|${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, job: cfg.job_name, url, labels, discoveredLabels: base, config: cfg });
    }
  }
  return out;
}
