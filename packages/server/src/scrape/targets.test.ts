import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScrapeConfig } from '../config/types.js';
import { scrapeConfigWith } from './scrape-config.js';
import { buildTargets } from './targets.js';

const base: ScrapeConfig = scrapeConfigWith({
  job_name: 'sd',
  scrape_interval_ms: 15_000,
  scrape_timeout_ms: 1000,
});

describe('buildTargets', () => {
  it('reads every file a file_sd glob matches (JSON and YAML), with their labels', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-sd-'));
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify([{ targets: ['10.0.0.1:9100'], labels: { team: 'a' } }]));
    writeFileSync(path.join(dir, 'b.yml'), '- targets: ["10.0.0.2:9100", "10.0.0.3:9100"]\n  labels: { team: b }\n');
    writeFileSync(path.join(dir, 'ignored.txt'), 'not a target file');
    const targets = buildTargets({ ...base, file_sd_configs: [{ files: [path.join(dir, '*.json'), path.join(dir, '*.yml')], refresh_interval_ms: 60_000 }] });
    expect(targets.map((t) => [t.labels.instance, t.labels.team])).toEqual([
      ['10.0.0.1:9100', 'a'],
      ['10.0.0.2:9100', 'b'],
      ['10.0.0.3:9100', 'b'],
    ]);
    expect(targets[0]!.url).toBe('http://10.0.0.1:9100/metrics');
  });

  it('hands the discovered labels of targets dropped by relabeling to the caller', () => {
    const dropped: Record<string, string>[] = [];
    const targets = buildTargets(
      {
        ...base,
        static_configs: [{ targets: ['keep:9100', 'skip:9100'], labels: { env: 'prod' } }],
        relabel_configs: [{ source_labels: ['__address__'], separator: ';', target_label: '', regex: 'skip:.*', modulus: 0, replacement: '$1', action: 'drop' }],
      },
      dropped,
    );
    expect(targets.map((t) => t.labels.instance)).toEqual(['keep:9100']);
    expect(dropped).toEqual([expect.objectContaining({ __address__: 'skip:9100', job: 'sd', env: 'prod', __metrics_path__: '/metrics' })]);
  });
});
