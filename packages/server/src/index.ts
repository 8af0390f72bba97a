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
export { createScrapeManager, buildTargets, relabel, scrapeOnce, scrapeConfigWith } from './scrape/index.js';
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

// auth: users, sessions, CSRF, API tokens, access control of the HTTP server (docs/auth.md)
export { createAuthService, createAuthPlugin, LoginRateLimitedError, requestIdentity, classifyRequest, csrfRequired, csrfValid, CSRF_HEADER, SESSION_COOKIE } from './auth/index.js';
export { hashPassword, verifyPassword, needsRehash, DEFAULT_SCRYPT_PARAMS, API_TOKEN_PREFIX, newApiToken, looksLikeApiToken, AuthError, AuthErrorCode, AUTH_METRIC_NAMES, AUTH_MIGRATION_NAMESPACE, authMigrations } from './auth/index.js';
export type { AuthService, AuthServiceOptions, AdminCreatedEvent, LoginResult, Identity, AuthPluginOptions, Access, CompatMode, ScryptParams, UserInfo, UserRepository, ApiTokenInfo, ApiTokenRepository, SessionRepository, SessionInfo } from './auth/index.js';
export type { AuthConfig } from './config/index.js';

// status page: public /status, /api/public/status and incident feed, 90-day uptime rollup
export { createStatusPage, createStatusPagePlugin, createUptimeRollup, STATUS_PAGE_MIGRATIONS, UPTIME_WINDOW_DAYS } from './status-page/index.js';
export { statusPageSchema, resolveStatusPageConfig, buildPublicStatus, renderStatusHtml, renderStatusAtom } from './status-page/index.js';
export type { StatusPage, StatusPageOptions, StatusProbeEvent, StatusTargetEvent, StatusPagePluginOptions, UptimeRollup, UptimeRollupOptions, UptimeDay } from './status-page/index.js';
export type { StatusPageConfig, StatusServiceConfig, StatusTargetRef, ServiceStatus, PublicIncidentInput, PublicIncidentSource, PublicIncidentView, PublicStatus, PublicService, PublicUptimeDay } from './status-page/index.js';
export type { ProbeRunEvent } from './probes/index.js';

// incidents: opened from alert groups, lifecycle and timeline, escalation, playbooks, automations, MTTA/MTTR, /emergency/status (docs/incidents.md)
export { createIncidentService, createIncidentsApiPlugin, computeEmergencyStatus, incidentLink, IncidentError, IncidentErrorCode, INCIDENT_METRIC_NAMES, INCIDENTS_NAMESPACE, incidentMigrations, SYSTEM_ACTOR } from './incidents/index.js';
export { runAutomation, AUTOMATION_OUTPUT_LIMIT, redactIncidentText, normalizeSeverity, highestSeverity, triggerAlertNames, incidentsConfigSchema, stateConfigSchema, playbooksFileSchema, normalizeIncidentsConfig, DEFAULT_INCIDENTS_CONFIG } from './incidents/index.js';
export type { IncidentService, IncidentServiceOptions, OpenIncidentInput, IncidentsApiOptions, EmergencySources, EmergencyStatus, EmergencySample, CriticalIssue, IncidentLinkAction, AutomationResult, AutomationContext } from './incidents/index.js';
export type { IncidentsConfig, IncidentPolicyConfig, EscalationConfig, PlaybookConfig, AutomationConfig, StateConfig } from './incidents/index.js';
export type { Incident, IncidentSummary, IncidentAlert, IncidentEvent, IncidentListFilter, IncidentSeverity, IncidentStatus, IncidentStatsGroup, PlaybookStepState, PublicIncident, PublicUpdate, PublicUpdateStatus, TimelineEntry, TimelineKind, EscalationView } from './incidents/index.js';
export type { AlertingEvent, AlertingEventAlert, DirectNotification, DirectNotificationResult } from './alerting/index.js';
