import { performance } from 'node:perf_hooks';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ensureDashboardBuilt } from '@vigil/dashboard';
import { parseApiDuration } from '../api/params.js';
import type { ScrapeManager } from '../scrape/manager.js';
import { DashboardAssetsError, DashboardRequestError } from './errors.js';
import { createHealthDetailedReader } from './health-detailed.js';
import { createLiveStream, type LiveStream } from './live-stream.js';
import { computeOverview, type OverviewSources } from './overview.js';
import { createOverviewHistory } from './overview-history.js';
import { createStaticAssets, DASHBOARD_CSP } from './static-assets.js';
import type { OverviewResponse } from './types.js';

/** Options of `createDashboardPlugin`. */
export interface DashboardPluginOptions {
  /** Where the overview's data comes from; `healthDetailed` defaults to a cached HTTP reader. */
  readonly sources: OverviewSources;
  /** Scrape manager, for the stream's `targets` events. */
  readonly scrape?: Pick<ScrapeManager, 'targets'>;
  /** Extra alert data for the stream's `alerts` events (e.g. Alertmanager API v2 alerts with silences). */
  readonly alertStatuses?: () => unknown;
  /** Folder of the built dashboard; default: `ensureDashboardBuilt()` from @vigil/dashboard, built on first request. */
  readonly distDir?: () => Promise<string>;
  /** How often connected clients get `overview`, `alerts` and `targets` (ms); default: 15 s. Read at every tick. */
  readonly intervalMs?: () => number;
  /** Heartbeat comment interval (ms); default 15 s. */
  readonly heartbeatMs?: number;
  /**
   * How long one overview computation per chart window is shared by requests (ms); default 5 s.
   * The stream's periodic push always computes afresh and refreshes this cache.
   */
  readonly overviewCacheMs?: number;
}

const sendError = (reply: FastifyReply, status: number, err: { message: string; code: string }): FastifyReply =>
  reply.code(status).send({ error: err.message, code: err.code });

function rangeParam(v: unknown): number {
  if (v === undefined || v === '') return 3_600_000;
  try {
    const ms = parseApiDuration(String(v), 'range');
    if (ms < 60_000 || ms > 86_400_000) throw new Error('out of bounds');
    return ms;
  } catch (err) {
    throw new DashboardRequestError(`invalid parameter "range": ${String(v)} (a duration from 1m to 24h, e.g. 1h)`, { cause: err });
  }
}

/**
 * Creates the fastify plugin of the web UI: `/` redirects to `/ui/`; `/ui/` serves the SPA shell
 * and `/ui/assets/*` its hashed assets with a strict Content-Security-Policy; `GET
 * /api/vigil/overview?range=1h` answers the whole overview in one request;
 * `GET /api/vigil/services` and `/api/vigil/services/:name` answer the services (the latter with
 * chart series); `GET /api/vigil/stream` is the Server-Sent Events stream (a snapshot of each event on
 * connect unless `?initial=0`, then `overview`, `alerts`, `targets` at every interval, `incidents`
 * on every incident change, heartbeats). Authentication
 * is not checked here: the auth hook guards `/api/vigil/*` centrally, and the UI assets are public.
 *
 * @example
 * app.register(createDashboardPlugin({ sources: { engine, queryable: store, now: Date.now, targets: () => scrape.targets(), probes: () => probes.status(), alerts: () => rules.alerts() } }));
 */
export function createDashboardPlugin(options: DashboardPluginOptions): FastifyPluginAsync {
  const sources: OverviewSources = { ...options.sources, healthDetailed: options.sources.healthDetailed ?? createHealthDetailedReader({ now: options.sources.now }) };
  const distDir = options.distDir ?? ensureDashboardBuilt;
  const assets = createStaticAssets(distDir);
  const intervalMs = options.intervalMs ?? (() => 15_000);

  const targetsView = (): unknown =>
    (options.scrape?.targets() ?? []).map((t) => ({
      labels: t.target.labels,
      scrapePool: t.target.job,
      scrapeUrl: t.target.url,
      lastError: t.lastError,
      lastScrape: t.lastScrape ? new Date(t.lastScrape).toISOString() : null,
      lastScrapeDuration: t.lastScrapeDurationSeconds,
      health: t.health,
      scrapeInterval: `${t.intervalMs / 1000}s`,
    }));
  const alertsView = (): unknown => ({ alerts: sources.alerts(), ...(options.alertStatuses ? { statuses: options.alertStatuses() } : {}) });
  const incidentsView = async (): Promise<unknown> => ({ incidents: sources.incidents ? await sources.incidents.active() : null });

  // Several dashboards opened at once (an incident: the whole team looks) and the stream's push
  // ask for the same overview: share one computation per window for a few seconds. Samples
  // arrive once per scrape interval (15 s by default), so a 5 s old overview is still current.
  const cacheMs = options.overviewCacheMs ?? 5000;
  // Settled chart points are reused: each overview evaluates its queries over the last minutes only.
  const history = createOverviewHistory();
  const memo = new Map<number, { at: number; value: Promise<OverviewResponse> }>();
  const overviewFor = (rangeMs = 3_600_000, fresh = false): Promise<OverviewResponse> => {
    const t = sources.now();
    const hit = memo.get(rangeMs);
    if (!fresh && hit && t - hit.at >= 0 && t - hit.at < cacheMs) return hit.value;
    const value = computeOverview(sources, { rangeMs, history });
    if (memo.size >= 8) memo.clear();
    memo.set(rangeMs, { at: t, value });
    value.catch(() => memo.delete(rangeMs));
    return value;
  };

  return async (app) => {
    const live: LiveStream = createLiveStream({
      heartbeatMs: options.heartbeatMs ?? 15_000,
      snapshot: async () => ({ overview: await overviewFor(), alerts: alertsView(), targets: targetsView(), incidents: await incidentsView() }),
    });

    let timer: NodeJS.Timeout | undefined;
    let ticking = false;
    const tick = async (): Promise<void> => {
      if (ticking || live.clientCount() === 0) return;
      ticking = true;
      try {
        // One computation per tick, shared by every client.
        live.publish('overview', await overviewFor(3_600_000, true));
        live.publish('alerts', alertsView());
        live.publish('targets', targetsView());
      } catch {
        // A failing source is retried on the next tick; the stream stays up.
      } finally {
        ticking = false;
      }
    };
    const schedule = (): void => {
      timer = setTimeout(() => {
        void tick().finally(() => {
          if (timer) schedule();
        });
      }, Math.max(250, intervalMs()));
      timer.unref();
    };
    schedule();

    let soon: NodeJS.Timeout | undefined;
    const unsubscribe = sources.incidents?.subscribe((e) => {
      void incidentsView()
        .then((v) => live.publish('incidents', { ...(v as object), changed: e.incident }))
        .catch(() => undefined);
      // The overview counts incidents too: refresh it shortly, once per burst of changes.
      soon ??= setTimeout(() => {
        soon = undefined;
        void tick();
      }, 200);
    });

    // preClose: open streams would otherwise keep the server's close() waiting.
    app.addHook('preClose', async () => {
      const t = timer;
      timer = undefined;
      if (t) clearTimeout(t);
      if (soon) clearTimeout(soon);
      unsubscribe?.();
      live.close();
    });

    const page = async (_req: unknown, reply: FastifyReply): Promise<FastifyReply> => {
      reply.header('content-security-policy', DASHBOARD_CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
      try {
        const f = await assets.index();
        return reply.header('cache-control', f.cacheControl).type(f.contentType).send(f.body);
      } catch (err) {
        return sendError(reply, 503, new DashboardAssetsError(`the dashboard assets are not available: ${(err as Error).message}`, { cause: err }));
      }
    };

    app.get('/', async (_req, reply) => reply.redirect('/ui/'));
    app.get('/ui', async (_req, reply) => reply.redirect('/ui/'));
    app.get('/ui/', page);
    app.get('/ui/index.html', page);
    app.get<{ Params: { file: string } }>('/ui/assets/:file', async (req, reply) => {
      let f;
      try {
        f = await assets.asset(req.params.file);
      } catch (err) {
        return sendError(reply, 503, new DashboardAssetsError(`the dashboard assets are not available: ${(err as Error).message}`, { cause: err }));
      }
      if (!f) return reply.code(404).send({ error: 'not found', code: 'VIGIL_ERR_NOT_FOUND' });
      return reply.header('cache-control', f.cacheControl).header('x-content-type-options', 'nosniff').header('content-security-policy', DASHBOARD_CSP).type(f.contentType).send(f.body);
    });

    const overview = async (query: unknown): Promise<OverviewResponse> => overviewFor(rangeParam((query as { range?: string }).range));
    const guard = async <T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T | FastifyReply> => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof DashboardRequestError) return sendError(reply, 400, err);
        return reply.code(500).send({ error: 'overview failed', code: 'VIGIL_ERR_UI_INTERNAL' });
      }
    };
    app.get('/api/vigil/overview', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const t0 = performance.now();
      return guard(reply, async () => {
        const o = await overview(req.query);
        // How long this request waited for the overview (the browser's resource timing shows it).
        reply.header('server-timing', `overview;dur=${(performance.now() - t0).toFixed(1)}`);
        return o;
      });
    });
    app.get('/api/vigil/services', async (req, reply) =>
      guard(reply, async () => {
        const o = await overview(req.query);
        return { services: o.services.map(({ series: _series, ...rest }) => rest) };
      }),
    );
    app.get<{ Params: { name: string } }>('/api/vigil/services/:name', async (req, reply) =>
      guard(reply, async () => {
        const o = await overview(req.query);
        const s = o.services.find((x) => x.name === req.params.name);
        if (!s) return reply.code(404).send({ error: `unknown service "${req.params.name}"`, code: 'VIGIL_ERR_NOT_FOUND' });
        return { times: o.times, range: o.range, service: s };
      }),
    );
    // `?initial=0`: no snapshot on connect (the dashboard loads each page over HTTP first, so a
    // page load does not compute the overview twice).
    app.get<{ Querystring: { initial?: string } }>('/api/vigil/stream', (req, reply) => {
      live.handle(req, reply, { snapshot: req.query.initial !== '0' });
    });
  };
}
