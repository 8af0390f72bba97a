import type { Appendable } from '@vigil/engine';
import type { ProbeConfig } from '../config/types.js';
import { recordProbe, runProbe, type ProbeResult } from './probe.js';

/** Status of one probe for the API and dashboard. */
export interface ProbeStatus {
  readonly config: ProbeConfig;
  readonly last?: ProbeResult;
  readonly lastRun: number;
}

/** One finished probe run, as told to {@link ProbeManager.subscribe} listeners. */
export interface ProbeRunEvent {
  readonly probe: ProbeConfig;
  readonly result: ProbeResult;
  /** When the run started (ms since the epoch, the manager's clock). */
  readonly at: number;
}

/** Runs every configured probe on its interval and records its series. */
export interface ProbeManager {
  apply(probes: readonly ProbeConfig[]): void;
  status(): ProbeStatus[];
  /**
   * Calls `listener` after every probe run (after its series are recorded); returns the unsubscribe
   * function. A throwing listener is ignored: it never stops probing or the other listeners.
   */
  subscribe(listener: (event: ProbeRunEvent) => void): () => void;
  /** Runs every probe once now. */
  runAll(): Promise<void>;
  stop(): Promise<void>;
}

/** Creates the probe manager writing `probe_*` series into `store`. */
export function createProbeManager(options: { store: Appendable; now?: () => number }): ProbeManager {
  const now = options.now ?? Date.now;
  interface Entry { cfg: ProbeConfig; timer?: NodeJS.Timeout; last?: ProbeResult; lastRun: number; names?: Set<string>; running?: Promise<void> }
  let entries: Entry[] = [];
  const listeners = new Set<(event: ProbeRunEvent) => void>();
  const run = async (e: Entry): Promise<void> => {
    const t = now();
    const r = await runProbe(e.cfg);
    e.last = r;
    e.lastRun = t;
    e.names = recordProbe(options.store, e.cfg, r, t, e.names);
    for (const l of listeners) {
      try {
        l({ probe: e.cfg, result: r, at: t });
      } catch {
        // A listener's failure is its own business; probing goes on.
      }
    }
  };
  const start = (e: Entry): void => {
    e.timer = setInterval(() => {
      if (!e.running) e.running = run(e).finally(() => (e.running = undefined));
    }, e.cfg.interval_ms);
    e.timer.unref?.();
  };
  return {
    apply(probes) {
      for (const e of entries) if (e.timer) clearInterval(e.timer);
      entries = probes.map((cfg) => ({ cfg, lastRun: 0 }));
      for (const e of entries) {
        start(e);
        e.running = run(e).finally(() => (e.running = undefined));
      }
    },
    status: () => entries.map((e) => ({ config: e.cfg, lastRun: e.lastRun, ...(e.last ? { last: e.last } : {}) })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async runAll() {
      await Promise.all(entries.map(run));
    },
    async stop() {
      for (const e of entries) if (e.timer) clearInterval(e.timer);
      await Promise.all(entries.map((e) => e.running));
    },
  };
}
