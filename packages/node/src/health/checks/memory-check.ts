import os from 'node:os';
import type { HealthCheckDefinition, HealthStatus } from '../types.js';
import { round1, thresholdStatus, withCommon, worse, type CommonCheckOptions } from './common.js';

/** Options of {@link memoryCheck}. */
export interface MemoryCheckOptions extends CommonCheckOptions {
  /** System memory used percent at which the check degrades. Default 80 (guide 004). */
  warningPercent?: number;
  /** System memory used percent at which the check is unhealthy. Default 90 (guide 004). */
  criticalPercent?: number;
  /** Process RSS (MiB) at which the check degrades. Default: not judged. */
  maxRssMb?: number;
  /** Heap used / heap limit percent at which the check degrades. Default: not judged. */
  maxHeapUsedPercent?: number;
  /** Reads system memory (inject in tests). Default `os.totalmem()`/`os.freemem()`. */
  systemMemory?: () => { totalBytes: number; freeBytes: number };
}

/**
 * Creates a memory check: system used percent against warning/critical thresholds, plus optional limits on
 * the process RSS and heap. Reports `percent_used`, `total_mb`, `available_mb`, `rss_mb`, `heap_used_mb`.
 * Non-critical by default. Default name `memory`.
 */
export function memoryCheck(options: MemoryCheckOptions = {}): HealthCheckDefinition {
  const warning = options.warningPercent ?? 80;
  const critical = options.criticalPercent ?? 90;
  const system =
    options.systemMemory ?? (() => ({ totalBytes: os.totalmem(), freeBytes: os.freemem() }));
  return withCommon(
    options,
    { name: 'memory', critical: false },
    {
      async check() {
        const { totalBytes, freeBytes } = system();
        const usedPercent = totalBytes > 0 ? ((totalBytes - freeBytes) / totalBytes) * 100 : 0;
        const mem = process.memoryUsage();
        const details = {
          percent_used: round1(usedPercent),
          total_mb: Math.round(totalBytes / 1048576),
          available_mb: Math.round(freeBytes / 1048576),
          rss_mb: round1(mem.rss / 1048576),
          heap_used_mb: round1(mem.heapUsed / 1048576),
        };
        let status: HealthStatus = thresholdStatus(usedPercent, warning, critical);
        const reasons: string[] = [];
        if (status !== 'healthy') reasons.push(`system memory ${round1(usedPercent)}% used`);
        if (options.maxRssMb !== undefined && mem.rss / 1048576 >= options.maxRssMb) {
          status = worse(status, 'degraded');
          reasons.push(`rss ${details.rss_mb} MiB over ${options.maxRssMb}`);
        }
        if (options.maxHeapUsedPercent !== undefined) {
          const { getHeapStatistics } = await import('node:v8');
          const heap = getHeapStatistics();
          const pct = (heap.used_heap_size / heap.heap_size_limit) * 100;
          if (pct >= options.maxHeapUsedPercent) {
            status = worse(status, 'degraded');
            reasons.push(`heap ${round1(pct)}% of limit`);
          }
        }
        return status === 'healthy' ? { details } : { status, error: reasons.join('; '), details };
      },
    },
  );
}
