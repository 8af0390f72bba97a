/**
 * Public entry of @vigil/server: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';

// notify: receivers, templates, reliable delivery
export type { Integration, NotificationAlert, NotificationData, NotifyFailure, NotifyFailureReason } from './notify/index.js';
export type { AlertmanagerGlobalLike, IntegrationConfig, ReceiverIntegrations, ReceiverSource, IntegrationDeps, NotificationTemplates, NotifyLogger, FetchLike } from './notify/index.js';
export type { DeliverOptions, DeliveryResult, AttemptInfo, RetryClock, NotifyMetrics, ConfigLocation, Secret, WebhookPayload } from './notify/index.js';
export { parseReceiverIntegrations, createIntegrations, createIntegration, deliverWithRetry, filterForIntegration, systemClock } from './notify/index.js';
export { createNotifyMetrics, NOTIFY_METRIC_NAMES, NotifyError, ReceiverConfigError, isNotifyFailure, createSecret, createNotificationTemplates, webhookPayload, pagerDutyDedupKey } from './notify/index.js';
export { createNotifierWiring, loadTemplateFiles } from './notify/index.js';
export type { NotifierWiring, NotifierWiringOptions, TemplateFile } from './notify/index.js';

// alerting: Alertmanager-compatible config, routing, silences, inhibition, dispatch, API v2, forwarding
export { parseAlertmanagerConfig, loadAlertmanagerConfig, createAlertingPipeline, createAlertmanagerApiPlugin, createSystemClock, createManualClock } from './alerting/index.js';
export { parseMatcher, parseMatchers, createMatcher, matchesAll, matchersToString, parseDuration, formatDuration, fingerprint, ALERTING_METRIC_NAMES } from './alerting/index.js';
export { AlertingConfigError, MatcherError, SilenceError, AlertValidationError, AlertingErrorCode } from './alerting/index.js';
export type { AlertmanagerConfig, GlobalConfig, RouteConfig, InhibitRuleConfig, ReceiverConfig, ParseAlertmanagerConfigOptions, ReceiverValidator } from './alerting/index.js';
export type { AlertingPipeline, AlertingPipelineOptions, AlertView, AlertGroupView, IntegrationsFactory, AlertmanagerApiOptions, AlertingClock, ManualClock, TimerHandle } from './alerting/index.js';
export type { DeliverFn, AlertingLogger, ForwardOptions, Silence, SilenceInput, SilenceMatcher, SilenceState, Alert, PostableAlert, LabelSet, Matcher, MatchType } from './alerting/index.js';

// state: durable store (SQLite default, PostgreSQL) with migrations
export { createSqliteStateStore, createPostgresStateStore, StateStoreError, StateErrorCode } from './state/index.js';
export type { StateStore, StateQueryable, Migration, Row, StateDialect, SqliteStateStoreOptions, PostgresStateStoreOptions } from './state/index.js';

// storage: file-backed series store (snapshot + write-ahead log)
export { openPersistentStore, PersistenceError, registerStorageMetrics, STORAGE_METRIC_NAMES } from './storage/index.js';
export type { PersistentStore, PersistentStoreOptions, PersistentStoreStats } from './storage/index.js';

// monitor: vigil.yml, scraping, probes, rule runtime, Prometheus API v1, createMonitor()
export { createMonitor, redactConfigYaml } from './monitor/index.js';
export type { Monitor, MonitorOptions, InProcessRegistry } from './monitor/index.js';
export { parseConfig, loadConfig, ConfigError, interpolateEnv, parseConfigDuration, parseByteSize } from './config/index.js';
export type { VigilConfig, ScrapeConfig, RelabelConfig, StaticConfig, ProbeConfig, LoadConfigOptions } from './config/index.js';
export { createScrapeManager, buildTargets, relabel, scrapeOnce } from './scrape/index.js';
export type { ScrapeManager, ScrapeManagerOptions, TargetStatus, ScrapeTarget, BodySource, ScrapeReport } from './scrape/index.js';
export { runProbe, createProbeManager } from './probes/index.js';
export type { ProbeResult, ProbeManager, ProbeStatus } from './probes/index.js';
export { createRuleRuntime, loadRuleFiles } from './rules-runtime/index.js';
export type { RuleRuntime, RuleRuntimeOptions, EngineGroup } from './rules-runtime/index.js';
export { createPrometheusApiPlugin, formatQueryValue, parseApiTime, parseApiDuration } from './api/index.js';
export type { PrometheusApiOptions, ApiAlert, ApiRule, ApiRuleGroup, RulesView } from './api/index.js';
export { createHttpServer } from './http/index.js';
export type { HttpServerOptions } from './http/index.js';
export { setRequestUser, getRequestUser, requestActor, roleAtLeast } from './http/index.js';
export type { Role, RequestUser } from './http/index.js';
