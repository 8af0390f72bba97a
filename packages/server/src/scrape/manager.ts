import { STALE_NAN, type Appendable, type Labels } from '@vigil/engine';
import type { ScrapeConfig } from '../config/types.js';
import { buildTargets, type ScrapeTarget } from './targets.js';
import {
  createScrapeCache,
  httpBodySource,
  markAllStale,
  scrapeOnce,
  type BodySource,
  type ScrapeCache,
  type ScrapeReport,
} from './scrape-once.js';

/** Health of one target, as /api/v1/targets reports it. */
export interface TargetStatus {
  readonly target: ScrapeTarget;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: number;
  readonly lastScrapeDurationSeconds: number;
  readonly intervalMs: number;
}

/** Options of `createScrapeManager`. */
export interface ScrapeManagerOptions {
  readonly store: Appendable;
  /** Wall clock (ms). */
  readonly now?: () => number;
  /** Body sources by job name, for in-process registries; others use HTTP. */
  readonly sources?: ReadonlyMap<string, BodySource>;
  /** Called after every scrape (rule runtime and tests hook in here). */
  readonly onScrape?: (target: ScrapeTarget, report: ScrapeReport) => void;
}

/** Runs one scrape loop per target; `apply` swaps the job list, keeping loops of unchanged targets. */
export interface ScrapeManager {
  apply(configs: readonly ScrapeConfig[]): void;
  targets(): TargetStatus[];
  /** Number of targets dropped by relabeling, for the API. */
  droppedCount(): number;
  /** The discovered labels of the targets dropped by relabeling (Prometheus's `droppedTargets`). */
  droppedTargets(): readonly { readonly job: string; readonly discoveredLabels: Labels }[];
  /** Scrapes every target once now (tests, `vigil start --once`). */
  scrapeAll(): Promise<void>;
  /**
   * Calls `listener` after every scrape with the target, its report and the scrape's start time (ms);
   * returns the unsubscribe function. A throwing listener is ignored: scraping goes on.
   */
  subscribe(listener: (target: ScrapeTarget, report: ScrapeReport, at: number) => void): () => void;
  stop(): Promise<void>;
}

interface Loop {
  target: ScrapeTarget;
  cache: ScrapeCache;
  timer?: NodeJS.Timeout;
  running?: Promise<unknown>;
  stopped: boolean;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: number;
  lastDuration: number;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
];

/**
 * Creates the scrape manager: each target scrapes on its interval at a fixed offset derived from a
 * hash of its identity (as Prometheus spreads load), with timeouts, staleness markers when series
 * or targets disappear, and health per target.
 */
export function createScrapeManager(options: ScrapeManagerOptions): ScrapeManager {
  const now = options.now ?? Date.now;
  const loops = new Map<string, Loop>();
  const listeners = new Set<(target: ScrapeTarget, report: ScrapeReport, at: number) => void>();
  let dropped: readonly { job: string; discoveredLabels: Labels }[] = [];

  async function run(loop: Loop, t: number): Promise<void> {
    const source = options.sources?.get(loop.target.job) ?? httpBodySource;
    const report = await scrapeOnce(loop.target, options.store, loop.cache, t, source, now);
    if (loop.stopped) return;
    loop.health = report.ok ? 'up' : 'down';
    loop.lastError = report.error;
    loop.lastScrape = t;
    loop.lastDuration = report.durationSeconds;
    options.onScrape?.(loop.target, report);
    for (const l of listeners) {
      try {
        l(loop.target, report, t);
      } catch {
        // A listener's failure is its own business; scraping goes on.
      }
    }
  }

  function schedule(loop: Loop): void {
    const interval = loop.target.config.scrape_interval_ms;
    const offset = hash(loop.target.key) % interval;
    const t = now();
    let next = t - (t % interval) + offset;
    if (next <= t) next += interval;
    loop.timer = setTimeout(() => {
      if (loop.stopped) return;
      // A scrape still running (slow target) skips this slot instead of piling up.
      if (!loop.running) {
        loop.running = run(loop, now()).finally(() => (loop.running = undefined));
      }
      schedule(loop);
    }, next - t);
    loop.timer.unref?.();
  }

  // Staleness markers only when a target goes away; on shutdown (as Prometheus) the series stay
  // fresh so rules restored after a restart see them within the lookback window.
  async function stopLoop(loop: Loop, markStale = true): Promise<void> {
    loop.stopped = true;
    if (loop.timer) clearTimeout(loop.timer);
    await loop.running;
    if (!markStale) return;
    const t = now();
    markAllStale(loop.cache, options.store, t);
    if (loop.lastScrape > 0)
      for (const n of REPORT_NAMES)
        options.store.append({ __name__: n, ...loop.target.labels }, t, STALE_NAN);
  }

  let refresh: NodeJS.Timeout | undefined;
  function apply(configs: readonly ScrapeConfig[]): void {
    const wanted = new Map<string, ScrapeTarget>();
    const droppedNow: { job: string; discoveredLabels: Labels }[] = [];
    for (const c of configs) {
      const droppedLabels: Labels[] = [];
      const ts = buildTargets(c, droppedLabels);
      for (const discoveredLabels of droppedLabels) droppedNow.push({ job: c.job_name, discoveredLabels });
      for (const t of ts) wanted.set(t.key + '|' + JSON.stringify(c), t);
    }
    dropped = droppedNow;
    for (const [k, loop] of loops)
      if (!wanted.has(k)) {
        loops.delete(k);
        void stopLoop(loop);
      }
    for (const [k, target] of wanted) {
      if (loops.has(k)) continue;
      const loop: Loop = {
        target,
        cache: createScrapeCache(),
        stopped: false,
        health: 'unknown',
        lastError: '',
        lastScrape: 0,
        lastDuration: 0,
      };
      loops.set(k, loop);
      schedule(loop);
    }
    // file_sd_configs: re-read the files at the shortest refresh_interval; unchanged targets keep their loops.
    if (refresh) clearInterval(refresh);
    refresh = undefined;
    const intervals = configs.flatMap((c) => c.file_sd_configs.map((f) => f.refresh_interval_ms));
    if (intervals.length) {
      refresh = setInterval(() => apply(configs), Math.max(10, Math.min(...intervals)));
      refresh.unref();
    }
  }

  return {
    apply,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    targets() {
      return [...loops.values()].map((l) => ({
        target: l.target,
        health: l.health,
        lastError: l.lastError,
        lastScrape: l.lastScrape,
        lastScrapeDurationSeconds: l.lastDuration,
        intervalMs: l.target.config.scrape_interval_ms,
      }));
    },
    droppedCount: () => dropped.length,
    droppedTargets: () => dropped,
    async scrapeAll() {
      await Promise.all([...loops.values()].map((l) => run(l, now())));
    },
    async stop() {
      if (refresh) clearInterval(refresh);
      const all = [...loops.values()];
      loops.clear();
      await Promise.all(all.map((l) => stopLoop(l, false)));
    },
  };
}
