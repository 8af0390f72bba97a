import { statfsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';

/** Options of {@link createProcessMetrics}. */
export interface ProcessMetricsOptions {
  /** Registry to register on. */
  registry: Registry;
  /** Mount points reported by the disk gauges. Default `['/']`. */
  disks?: readonly string[];
  /** Also register prom-client's default process/Node.js metrics. Default true. */
  defaults?: boolean;
  /** Prefix for prom-client's default metrics only. */
  prefix?: string;
}

/**
 * prom-client default gauges named `*_total` although they are gauges; `promtool check metrics` flags them, and the
 * same figures are exported without the suffix (`nodejs_active_handles{type}` etc.), so they are dropped.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function cpuTotals(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/**
 * Registers process and system metrics: prom-client's defaults (minus three misnamed gauges) plus the names the
 * reference alert rules use — `cpu_usage_percent` (whole machine, since the previous scrape), `memory_usage_bytes`
 * (process RSS), `memory_usage_percent` and `memory_limit_bytes` (machine memory), `process_cpu_usage_percent`,
 * `nodejs_eventloop_utilization_ratio`, and per mount `disk_usage_percent`, `disk_free_bytes`, `disk_total_bytes`.
 * Values are computed at scrape time; nothing runs in the background.
 */
export function createProcessMetrics(options: ProcessMetricsOptions): void {
  const { registry } = options;
  if (options.defaults !== false) {
    collectDefaultMetrics({ register: registry, prefix: options.prefix });
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(`${options.prefix ?? ''}${name}`);
  }
  let lastCpu = cpuTotals();
  new Gauge({
    name: 'cpu_usage_percent',
    help: 'Machine CPU usage in percent (all cores) since the previous scrape.',
    registers: [registry],
    collect() {
      const now = cpuTotals();
      const total = now.total - lastCpu.total;
      const idle = now.idle - lastCpu.idle;
      lastCpu = now;
      this.set(total > 0 ? Math.max(0, Math.min(100, (1 - idle / total) * 100)) : 0);
    },
  });
  let lastUsage = process.cpuUsage();
  let lastTime = performance.now();
  new Gauge({
    name: 'process_cpu_usage_percent',
    help: 'CPU used by this process since the previous scrape, in percent of one core.',
    registers: [registry],
    collect() {
      const usage = process.cpuUsage(lastUsage);
      const now = performance.now();
      const elapsedUs = (now - lastTime) * 1000;
      lastUsage = process.cpuUsage();
      lastTime = now;
      this.set(elapsedUs > 0 ? ((usage.user + usage.system) / elapsedUs) * 100 : 0);
    },
  });
  new Gauge({
    name: 'memory_usage_bytes',
    help: 'Resident memory of this process in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'memory_usage_percent',
    help: 'Machine memory in use, in percent of total memory.',
    registers: [registry],
    collect() {
      const total = os.totalmem();
      this.set(total > 0 ? ((total - os.freemem()) / total) * 100 : 0);
    },
  });
  new Gauge({
    name: 'memory_limit_bytes',
    help: 'Memory available to this process in bytes (cgroup constraint when set, else total machine memory).',
    registers: [registry],
    collect() {
      const constrained = (process as unknown as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
      this.set(constrained && constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? constrained : os.totalmem());
    },
  });
  let lastElu = performance.eventLoopUtilization();
  new Gauge({
    name: 'nodejs_eventloop_utilization_ratio',
    help: 'Event-loop utilization (0..1) since the previous scrape.',
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, lastElu).utilization);
      lastElu = now;
    },
  });
  const mounts = options.disks ?? ['/'];
  const stat = (mount: string) => {
    try {
      const s = statfsSync(mount);
      const total = s.blocks * s.bsize;
      return { total, free: s.bavail * s.bsize, used: (s.blocks - s.bfree) * s.bsize };
    } catch {
      return undefined;
    }
  };
  new Gauge({
    name: 'disk_usage_percent',
    help: 'Disk space used on the mount, in percent (as df reports it).',
    labelNames: ['mount'],
    registers: [registry],
    collect() {
      for (const mount of mounts) {
        const s = stat(mount);
        if (s && s.used + s.free > 0) this.set({ mount }, (s.used / (s.used + s.free)) * 100);
      }
    },
  });
  new Gauge({
    name: 'disk_free_bytes',
    help: 'Disk space available to unprivileged users on the mount, in bytes.',
    labelNames: ['mount'],
    registers: [registry],
    collect() {
      for (const mount of mounts) {
        const s = stat(mount);
        if (s) this.set({ mount }, s.free);
      }
    },
  });
  new Gauge({
    name: 'disk_total_bytes',
    help: 'Size of the filesystem on the mount, in bytes.',
    labelNames: ['mount'],
    registers: [registry],
    collect() {
      for (const mount of mounts) {
        const s = stat(mount);
        if (s) this.set({ mount }, s.total);
      }
    },
  });
}
