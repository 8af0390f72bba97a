import type { ScrapeConfig } from '../config/types.js';

/**
 * A scrape job with Prometheus's defaults (`/metrics` over http, no limits, no relabeling, no
 * targets) and the given fields on top: for jobs built in code, such as the in-process registries
 * of `createMonitor`, and for tests.
 */
export function scrapeConfigWith(
  fields: Partial<ScrapeConfig> & Pick<ScrapeConfig, 'job_name'>,
): ScrapeConfig {
  return {
    scrape_interval_ms: 60_000,
    scrape_timeout_ms: 10_000,
    metrics_path: '/metrics',
    scheme: 'http',
    params: {},
    honor_labels: false,
    sample_limit: 0,
    body_size_limit: 0,
    tls_config: { insecure_skip_verify: false },
    static_configs: [],
    file_sd_configs: [],
    relabel_configs: [],
    metric_relabel_configs: [],
    ...fields,
  };
}
