import { statfs } from 'node:fs/promises';
import type { HealthCheckDefinition } from '../types.js';
import { round1, withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link diskSpaceCheck}. */
export interface DiskSpaceCheckOptions extends CommonCheckOptions {
  /** A path on the file system to watch. Default `/`. */
  path?: string;
  /** Degraded when the free percentage is at or below this. Default 20 (guide 001). */
  warningFreePercent?: number;
  /** Unhealthy when the free percentage is at or below this. Default 10 (guide 001). */
  criticalFreePercent?: number;
}

/**
 * Creates a disk space check using `statfs`: reports `free_percent`, `free_mb`, `total_mb`; degraded at or
 * under `warningFreePercent`, unhealthy at or under `criticalFreePercent`. Non-critical by default. Default name `disk`.
 */
export function diskSpaceCheck(options: DiskSpaceCheckOptions = {}): HealthCheckDefinition {
  const path = options.path ?? '/';
  const warning = options.warningFreePercent ?? 20;
  const critical = options.criticalFreePercent ?? 10;
  return withCommon(
    options,
    { name: 'disk', critical: false },
    {
      async check() {
        const s = await statfs(path);
        const total = s.blocks * s.bsize;
        const free = s.bavail * s.bsize;
        const freePercent = total > 0 ? (free / total) * 100 : 0;
        const details = {
          path,
          free_percent: round1(freePercent),
          free_mb: Math.round(free / 1048576),
          total_mb: Math.round(total / 1048576),
        };
        if (freePercent <= critical)
          return {
            status: 'unhealthy',
            error: `only ${round1(freePercent)}% disk free on ${path}`,
            details,
          };
        if (freePercent <= warning)
          return {
            status: 'degraded',
            error: `only ${round1(freePercent)}% disk free on ${path}`,
            details,
          };
        return { details };
      },
    },
  );
}
