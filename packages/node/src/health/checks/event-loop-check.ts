import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HealthCheckDefinition } from '../types.js';
import { round1, thresholdStatus, withCommon, type CommonCheckOptions } from './common.js';

/** Options of {@link eventLoopDelayCheck}. */
export interface EventLoopDelayCheckOptions extends CommonCheckOptions {
  /** p99 delay (ms) since the previous run at which the check degrades. Default 200. */
  warningMs?: number;
  /** p99 delay (ms) at which the check is unhealthy. Default 1000. */
  criticalMs?: number;
  /** Histogram resolution in ms. Default 20. */
  resolutionMs?: number;
}

/**
 * Creates an event-loop delay check from a `monitorEventLoopDelay` histogram: reports p50/p99/max delay
 * since the previous run and resets the window. Tagged `live` and non-critical by default. Default name `event_loop`.
 */
export function eventLoopDelayCheck(
  options: EventLoopDelayCheckOptions = {},
): HealthCheckDefinition {
  const warning = options.warningMs ?? 200;
  const critical = options.criticalMs ?? 1000;
  let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  return withCommon(
    options,
    { name: 'event_loop', critical: false, tags: ['live'] },
    {
      check() {
        if (!histogram) {
          histogram = monitorEventLoopDelay({ resolution: options.resolutionMs ?? 20 });
          histogram.enable();
          return { details: { p50_ms: 0, p99_ms: 0, max_ms: 0 } };
        }
        const p50 = histogram.percentile(50) / 1e6;
        const p99 = histogram.percentile(99) / 1e6;
        const max = histogram.max / 1e6;
        histogram.reset();
        const details = { p50_ms: round1(p50), p99_ms: round1(p99), max_ms: round1(max) };
        const status = thresholdStatus(p99, warning, critical);
        return status === 'healthy'
          ? { details }
          : { status, error: `event loop p99 delay ${round1(p99)} ms`, details };
      },
      close() {
        histogram?.disable();
        histogram = undefined;
      },
    },
  );
}
