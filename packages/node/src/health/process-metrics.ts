/** Process figures for `/health/detailed`: uptime, resident memory and CPU use since the previous sample. */
export interface ProcessMetrics {
  /** Seconds since the process started. */
  uptime_seconds: number;
  /** Resident set size in MiB (1 decimal). */
  memory_usage_mb: number;
  /** CPU time (user + system) over wall time since the previous sample, percent of one core (1 decimal). */
  cpu_usage_percent: number;
}

/**
 * Creates a sampler of {@link ProcessMetrics}; each call measures CPU use since the previous call
 * (the first call measures since the sampler was created).
 */
export function createProcessMetricsSampler(): () => ProcessMetrics {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  return () => {
    const cpu = process.cpuUsage(lastCpu);
    const at = performance.now();
    const wallUs = Math.max((at - lastAt) * 1000, 1);
    // Keep a minimum window so back-to-back probes still report a meaningful figure.
    if (at - lastAt >= 250) {
      lastCpu = process.cpuUsage();
      lastAt = at;
    }
    return {
      uptime_seconds: Math.round(process.uptime()),
      memory_usage_mb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
      cpu_usage_percent: Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10,
    };
  };
}
