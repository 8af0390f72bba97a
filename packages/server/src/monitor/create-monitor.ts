import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createPromqlEngine, type PromqlEngine } from '@vigil/engine';
import { createAlertingPipeline, type AlertingPipeline } from '../alerting/pipeline.js';
import { loadAlertmanagerConfig, parseAlertmanagerConfig } from '../alerting/config/parse.js';
import { createAlertmanagerApiPlugin } from '../alerting/api/plugin.js';
import { createNotificationTemplates, loadTemplateFiles } from '../notify/index.js';
import { createSqliteStateStore } from '../state/sqlite-store.js';
import type { StateStore } from '../state/types.js';
import { createPrometheusApiPlugin } from '../api/prometheus-api.js';
import { loadConfig } from '../config/load.js';
import type { ScrapeConfig, VigilConfig } from '../config/types.js';
import { createHttpServer } from '../http/server.js';
import { createProbeManager, type ProbeManager } from '../probes/manager.js';
import { createRuleRuntime, loadRuleFiles, type RuleRuntime } from '../rules-runtime/engine-runtime.js';
import { openMonitorStore, type MonitorStore } from './series-store.js';
import { createScrapeManager, type ScrapeManager } from '../scrape/manager.js';
import { scrapeConfigWith } from '../scrape/scrape-config.js';
import type { BodySource } from '../scrape/scrape-once.js';
import { redactConfigYaml } from './redact.js';
import { createSelfMetrics } from './self-metrics.js';
import { createAuthPlugin } from '../auth/plugin.js';
import { createAuthService, type AdminCreatedEvent, type AuthService } from '../auth/service.js';
import { createDashboardPlugin } from '../ui/plugin.js';
import { createSystemClock } from '../alerting/clock.js';
import { createStatusPage, type StatusPage } from '../status-page/status-page.js';
import { createStatusPagePlugin } from '../status-page/plugin.js';
import { createIncidentService, type IncidentService } from '../incidents/service.js';
import { createIncidentsApiPlugin } from '../incidents/api-plugin.js';
import { createPostgresStateStore } from '../state/postgres-store.js';

/** A prom-client-style registry scraped in-process (no HTTP hop). */
export interface InProcessRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
}

/** Options of `createMonitor`. */
export interface MonitorOptions {
  /** A parsed config, or the path of vigil.yml. */
  readonly config: VigilConfig | string;
  /** Registries to scrape in-process, by job name (e.g. the embedding app's own prom-client registry). */
  readonly registries?: readonly { readonly job: string; readonly registry: InProcessRegistry; readonly labels?: Record<string, string> }[];
  /** Overrides `server.port` (0 = any free port). */
  readonly port?: number;
  /** Overrides `server.listen_address`. */
  readonly listenAddress?: string;
  /** Overrides `storage.data_dir`. */
  readonly dataDir?: string;
  /** Whether to listen on HTTP (default true); false keeps the API reachable through `app.inject`. */
  readonly listen?: boolean;
  /** Wall clock (ms). */
  readonly now?: () => number;
  /** Prints what happens (reloads, errors); default silent. */
  readonly log?: (line: string) => void;
  /**
   * First start of auth: the admin's password (default `VIGIL_ADMIN_PASSWORD` from the environment,
   * else generated) and who is told a generated one (default: one `log` line; `vigil start` prints it).
   */
  readonly auth?: { readonly adminPassword?: string; readonly onAdminCreated?: (event: AdminCreatedEvent) => void };
}

/** A running monitor: scraping, probes, rules, alerting and the HTTP API. */
export interface Monitor {
  /** Base URL of the HTTP API (`http://127.0.0.1:9090`), empty when not listening. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly engine: PromqlEngine;
  readonly store: MonitorStore;
  readonly scrape: ScrapeManager;
  readonly rules: RuleRuntime;
  readonly probes: ProbeManager;
  readonly alerting: AlertingPipeline;
  /** Users, sessions and API tokens (`monitor.auth.createUser(...)`, `monitor.auth.createToken(...)`). */
  readonly auth: AuthService;
  /** The public status page's model (`/status`, `/api/public/status`); `setIncidentSource` links incidents. */
  readonly statusPage: StatusPage;
  /** Incidents: opened from alert groups, lifecycle, escalation, playbooks (`/api/vigil/incidents`; see docs/incidents.md). */
  readonly incidents: IncidentService;
  /** The config in effect. */
  config(): VigilConfig;
  /** Re-reads the config file and applies it; on error keeps the old config and rejects. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

const MINIMAL_AM = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';

async function buildAlerting(cfg: VigilConfig, store: StateStore | undefined, externalURL: string, registry: import('prom-client').Registry): Promise<AlertingPipeline> {
  const a = cfg.alerting;
  const amConfig =
    a.mode === 'inline' ? parseAlertmanagerConfig(a.text, `${cfg.file} (alerting.config)`) : a.mode === 'file' ? await loadAlertmanagerConfig(a.config_file) : parseAlertmanagerConfig(MINIMAL_AM, 'builtin');
  // `templates:` files are relative to the file that names them (vigil.yml for an inline config).
  const templateBase = path.dirname(a.mode === 'file' ? a.config_file : cfg.file);
  const templateFiles = await loadTemplateFiles(amConfig.templates, templateBase);
  return createAlertingPipeline({
    config: amConfig,
    ...(store ? { store } : {}),
    notifierDeps: { templates: createNotificationTemplates({ files: templateFiles }) },
    externalURL,
    metricsRegistry: registry,
    ...(a.mode === 'forward' ? { forward: { urls: a.forward_to } } : {}),
  });
}

/**
 * Creates and starts a monitor from vigil.yml (or a parsed config): the series store, scrape loops
 * (HTTP and in-process registries), probes, the rule runtime feeding the alerting pipeline, and
 * the HTTP server with Prometheus's API v1 and Alertmanager's API v2.
 *
 * @example
 * const monitor = await createMonitor({ config: 'vigil.yml', registries: [{ job: 'app', registry }] });
 * console.log(monitor.url); // query it with promtool or Grafana
 * await monitor.stop();
 */
export async function createMonitor(options: MonitorOptions): Promise<Monitor> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let cfg = typeof options.config === 'string' ? await loadConfig(options.config) : options.config;
  const configPath = typeof options.config === 'string' ? options.config : cfg.file;
  const dataDir = options.dataDir ?? cfg.storage.data_dir;

  const store = await openMonitorStore({ ...(dataDir ? { dataDir } : {}), retentionMs: cfg.storage.retention_time_ms, retentionBytes: cfg.storage.retention_size_bytes, now });
  const engine = createPromqlEngine({ now: () => performance.now() });
  const self = createSelfMetrics();
  const sources = new Map<string, BodySource>();
  const extraJobs: ScrapeConfig[] = [];
  for (const r of options.registries ?? []) {
    sources.set(r.job, async () => ({ body: await r.registry.metrics(), contentType: r.registry.contentType }));
    extraJobs.push(
      scrapeConfigWith({
        job_name: r.job,
        scrape_interval_ms: cfg.global.scrape_interval_ms,
        scrape_timeout_ms: Math.min(cfg.global.scrape_timeout_ms, cfg.global.scrape_interval_ms),
        static_configs: [{ targets: ['in-process'], labels: r.labels ?? {} }],
      }),
    );
  }
  const scrape = createScrapeManager({ store, now, sources });
  const probes = createProbeManager({ store, now });
  // Durable state: PostgreSQL when `state.postgres_url` is set (several replicas), else SQLite in data_dir.
  const stateStore = cfg.state.postgres_url
    ? await createPostgresStateStore({ connectionString: cfg.state.postgres_url, ...(cfg.state.schema ? { schema: cfg.state.schema } : {}) })
    : dataDir
      ? createSqliteStateStore({ path: path.join(dataDir, 'state.db') })
      : undefined;
  // Users and sessions, incidents and the status page's uptime live in the state store; without a
  // durable one they are kept in memory (the alerting pipeline then keeps its own state in memory).
  const featureStore = stateStore ?? createSqliteStateStore({ path: ':memory:' });
  const adminPassword = options.auth?.adminPassword ?? process.env.VIGIL_ADMIN_PASSWORD;
  const auth = createAuthService({
    store: featureStore,
    config: () => cfg.server.auth,
    now,
    log,
    metricsRegistry: self.registry,
    ...(adminPassword ? { adminPassword } : {}),
    onAdminCreated: options.auth?.onAdminCreated ?? ((e) => e.password && log(`auth: first start, user "${e.username}" has the generated password ${e.password} (shown once; change it with vigil user passwd)`)),
  });
  await auth.init();
  // Public status page: its 90-day uptime rollup lives in the same state store, fed by every probe run.
  const statusPage = await createStatusPage({
    config: cfg.status_page,
    store: featureStore,
    clock: { ...createSystemClock(), now },
    onError: (msg, err) => log(`${msg}: ${(err as Error).message}`),
  });
  const unsubscribeStatusPage = [
    probes.subscribe((e) => statusPage.observeProbe(e)),
    scrape.subscribe((target, report, at) =>
      statusPage.observeTarget({ job: target.job, instance: target.labels['instance'] ?? '', success: report.ok, at, intervalMs: target.config.scrape_interval_ms }),
    ),
  ];
  const port = options.port ?? cfg.server.port;
  const host = options.listenAddress ?? cfg.server.listen_address;
  const externalURL = cfg.server.external_url ?? `http://${host}:${port}`;
  let alerting = await buildAlerting(cfg, stateStore, externalURL, self.registry);
  // Incidents live in the state store (in memory without one), following the alerting pipeline's groups.
  const incidents = await createIncidentService({
    store: featureStore,
    config: cfg.incidents,
    clock: { ...createSystemClock(), now },
    externalURL,
    pipeline: alerting,
    metricsRegistry: self.registry,
    log,
    secrets: cfg.state.postgres_url ? [cfg.state.postgres_url] : [],
  });
  statusPage.setIncidentSource(incidents);
  const rules = createRuleRuntime({
    queryable: store,
    appendable: store,
    engine,
    now,
    externalLabels: cfg.global.external_labels,
    externalURL,
    notify: (alerts) => alerting.receive(alerts),
  });
  let ready = false;

  async function apply(next: VigilConfig, first: boolean): Promise<void> {
    // Load everything that can fail before touching the running state: a bad file keeps the old config.
    const groups = await loadRuleFiles(next.rule_files, next.global.evaluation_interval_ms);
    if (!first) {
      const prev = cfg;
      if (JSON.stringify(prev.alerting) !== JSON.stringify(next.alerting)) {
        const fresh = await buildAlerting(next, stateStore, externalURL, self.registry);
        const old = alerting;
        alerting = fresh;
        incidents.attach(fresh);
        await old.stop();
      }
    }
    cfg = next;
    scrape.apply([...next.scrape_configs, ...extraJobs]);
    probes.apply(next.probes);
    statusPage.apply(next.status_page);
    incidents.applyConfig(next.incidents);
    rules.apply(groups);
  }

  await apply(cfg, true);

  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    const p = reloading.then(async () => {
      try {
        const next = await loadConfig(configPath);
        await apply(next, false);
        self.reloadSuccess.set(1);
        self.reloadTime.set(now() / 1000);
        log(`config reloaded from ${configPath}`);
      } catch (err) {
        self.reloadSuccess.set(0);
        log(`config reload failed, keeping the old config: ${(err as Error).message}`);
        throw err;
      }
    });
    reloading = p.catch(() => undefined);
    return p;
  };
  self.reloadSuccess.set(1);
  self.reloadTime.set(now() / 1000);

  const app = await createHttpServer({
    plugins: [
      // First: its onRequest hook guards every route registered after it (see docs/auth.md).
      createAuthPlugin({ auth, log }),
      createPrometheusApiPlugin({
        queryable: store,
        engine,
        scrape,
        rules,
        now,
        configYaml: () => redactConfigYaml(cfg.source),
        flags: () => ({ 'config.file': configPath, 'storage.tsdb.path': dataDir ?? '', 'web.listen-address': `${host}:${port}` }),
        externalLabels: () => cfg.global.external_labels,
        ready: () => ready,
        reload,
        metrics: async () => {
          self.series.set(store.seriesCount());
          self.samples.set(store.sampleCount());
          self.rejected.set(store.rejected());
          self.targets.reset();
          for (const t of scrape.targets()) self.targets.inc({ health: t.health });
          return { contentType: self.registry.contentType, body: await self.registry.metrics() };
        },
      }),
      async (instance) => {
        // Alertmanager API v2 on the same port; the pipeline can be swapped by a reload, so resolve it per request.
        const proxy = new Proxy({} as AlertingPipeline, { get: (_t, k) => { const v = (alerting as unknown as Record<PropertyKey, unknown>)[k]; return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(alerting) : v; } });
        await instance.register(createAlertmanagerApiPlugin({ pipeline: proxy }));
      },
      // Web UI, overview API and live stream (/, /ui/*, /api/vigil/overview, /api/vigil/stream).
      createDashboardPlugin({
        sources: {
          engine,
          queryable: store,
          now,
          targets: () => scrape.targets(),
          probes: () => probes.status(),
          alerts: () => rules.alerts(),
          incidents: {
            active: async () => [...(await incidents.list({ status: 'open', limit: 200 })), ...(await incidents.list({ status: 'acknowledged', limit: 200 }))].sort((a, b) => b.opened_at.localeCompare(a.opened_at)),
            subscribe: (listener) => incidents.subscribe(listener),
          },
        },
        scrape,
        intervalMs: () => Math.min(cfg.global.scrape_interval_ms, 15_000),
      }),
      // Incidents API (/api/vigil/incidents*) and guide 004's /emergency/status.
      createIncidentsApiPlugin({
        incidents,
        now,
        emergency: {
          alerts: () => alerting.alerts().map((v) => ({ fingerprint: v.alert.fingerprint, labels: v.alert.labels, startsAt: v.alert.startsAt, suppressed: v.state === 'suppressed' })),
          query: (expr) => {
            const v = engine.instantQuery(store, expr, now());
            return v.type === 'vector' ? v.samples : [];
          },
          targets: () => scrape.targets().map((t) => ({ job: t.target.job, health: t.health })),
          probes: () => probes.status().map((p) => ({ name: p.config.name, ...(p.last ? { success: p.last.success } : {}) })),
        },
      }),
      // Public status page (/status, /api/public/status, /status/feed.atom): no login, no internal detail.
      createStatusPagePlugin({ statusPage, externalUrl: () => cfg.server.external_url, now }),
    ],
  });
  let url = '';
  if (options.listen !== false) {
    url = await app.listen({ port, host });
    url = url.replace('[::1]', '127.0.0.1');
  }
  ready = true;

  return {
    get url() {
      return url;
    },
    app,
    engine,
    store,
    scrape,
    rules,
    probes,
    get alerting() {
      return alerting;
    },
    auth,
    statusPage,
    incidents,
    config: () => cfg,
    reload,
    async stop() {
      ready = false;
      await rules.stop();
      await scrape.stop();
      await probes.stop();
      for (const off of unsubscribeStatusPage) off();
      await statusPage.close();
      await app.close();
      await incidents.stop();
      await alerting.stop();
      await stateStore?.close();
      if (featureStore !== stateStore) await featureStore.close();
      await store.close();
    },
  };
}
