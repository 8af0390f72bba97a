import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeriesStore } from '@vigil/engine';
import type { ScrapeConfig } from '../config/types.js';
import { scrapeConfigWith } from './scrape-config.js';
import { createScrapeManager, type ScrapeManager } from './manager.js';

const base: ScrapeConfig = scrapeConfigWith({
  job_name: 'sd',
  scrape_interval_ms: 3_600_000,
  scrape_timeout_ms: 1000,
});

let manager: ScrapeManager | undefined;
afterEach(async () => manager?.stop());

describe('scrape manager', () => {
  it('re-reads file_sd_configs files on their refresh interval', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-sd-'));
    const file = path.join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify([{ targets: ['127.0.0.1:9'], labels: { team: 'a' } }]));
    manager = createScrapeManager({ store: createSeriesStore() });
    manager.apply([{ ...base, file_sd_configs: [{ files: [file], refresh_interval_ms: 20 }] }]);
    expect(manager.targets().map((t) => t.target.labels)).toEqual([
      { job: 'sd', team: 'a', instance: '127.0.0.1:9' },
    ]);
    writeFileSync(
      file,
      JSON.stringify([{ targets: ['127.0.0.1:9', '127.0.0.1:10'], labels: { team: 'a' } }]),
    );
    const deadline = Date.now() + 5000;
    while (manager.targets().length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(
      manager
        .targets()
        .map((t) => t.target.labels.instance)
        .sort(),
    ).toEqual(['127.0.0.1:10', '127.0.0.1:9']);
  });

  it('relabel_configs drop targets and set the scrape URL', () => {
    manager = createScrapeManager({ store: createSeriesStore() });
    manager.apply([
      {
        ...base,
        params: { module: ['x'] },
        static_configs: [{ targets: ['a:1', 'b:2'], labels: {} }],
        relabel_configs: [
          {
            source_labels: ['__address__'],
            separator: ';',
            target_label: '',
            regex: 'b:.*',
            modulus: 0,
            replacement: '$1',
            action: 'drop',
          },
          {
            source_labels: [],
            separator: ';',
            target_label: '__metrics_path__',
            regex: '(.*)',
            modulus: 0,
            replacement: '/probe',
            action: 'replace',
          },
        ],
      },
    ]);
    expect(manager.targets().map((t) => t.target.url)).toEqual(['http://a:1/probe?module=x']);
    expect(manager.droppedCount()).toBe(1);
  });
});
