/**
 * Public entry of @vigil/node: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';

// health
export { createHealthRegistry } from './health/registry.js';
export type { HealthRegistry, HealthRegistryOptions, HealthRunOptions } from './health/registry.js';
export type {
  HealthStatus,
  CheckOutcome,
  CheckContext,
  CheckFunction,
  HealthCheckDefinition,
  CheckResult,
  HealthTransition,
  HealthReport,
  StartupTask,
  StartupTaskState,
  HealthLogger,
} from './health/types.js';
export { aggregateStatus, worstStatus } from './health/aggregate.js';
export { redactSecrets, redactDeep } from './health/redact-secrets.js';
export type { RedactOptions } from './health/redact-secrets.js';
export { HealthConfigError, HealthTimeoutError, HealthPeerMissingError } from './health/health-errors.js';
export { createHealthEndpoints } from './health/endpoints.js';
export type { HealthEndpoints, HealthEndpointsOptions, HealthRequest, HealthResponse, DetailedAccess } from './health/endpoints.js';
export { createProcessMetricsSampler } from './health/process-metrics.js';
export type { ProcessMetrics } from './health/process-metrics.js';
export { createNodeHealthHandler, createNodeHealthListener } from './health/node-http-adapter.js';
export type { NodeHealthHandler, HealthAdapterOptions } from './health/node-http-adapter.js';
export { createExpressHealthRouter } from './health/express-adapter.js';
export type { ExpressHealthMiddleware } from './health/express-adapter.js';
export { createFastifyHealthPlugin } from './health/fastify-adapter.js';
export type { FastifyHealthPlugin } from './health/fastify-adapter.js';
export { postgresCheck } from './health/checks/postgres-check.js';
export type { PostgresCheckOptions, PgPoolLike, PgClientLike } from './health/checks/postgres-check.js';
export { redisCheck } from './health/checks/redis-check.js';
export type { RedisCheckOptions, RedisClientLike } from './health/checks/redis-check.js';
export { httpCheck } from './health/checks/http-check.js';
export type { HttpCheckOptions } from './health/checks/http-check.js';
export { tcpCheck } from './health/checks/tcp-check.js';
export type { TcpCheckOptions } from './health/checks/tcp-check.js';
export { dnsCheck } from './health/checks/dns-check.js';
export type { DnsCheckOptions } from './health/checks/dns-check.js';
export { tlsCertificateCheck } from './health/checks/tls-check.js';
export type { TlsCertificateCheckOptions } from './health/checks/tls-check.js';
export { diskSpaceCheck } from './health/checks/disk-check.js';
export type { DiskSpaceCheckOptions } from './health/checks/disk-check.js';
export { memoryCheck } from './health/checks/memory-check.js';
export type { MemoryCheckOptions } from './health/checks/memory-check.js';
export { eventLoopDelayCheck } from './health/checks/event-loop-check.js';
export type { EventLoopDelayCheckOptions } from './health/checks/event-loop-check.js';
export type { CommonCheckOptions } from './health/checks/common.js';
export { createShutdownCoordinator, SHUTDOWN_EXIT_OK, SHUTDOWN_EXIT_INCOMPLETE, SHUTDOWN_EXIT_FORCED } from './shutdown/shutdown-coordinator.js';
export type {
  ShutdownCoordinator,
  ShutdownCoordinatorOptions,
  ShutdownReport,
  ShutdownHookReport,
  ShutdownStep,
  ShutdownLogger,
} from './shutdown/shutdown-coordinator.js';
export { trackServer } from './shutdown/drain-server.js';
export type { TrackedServer, DrainOutcome } from './shutdown/drain-server.js';
export { ShutdownHookTimeoutError } from './shutdown/shutdown-errors.js';

// metrics
export { createMetricsRegistry } from './metrics/registry.js';
export type { MetricsRegistryOptions } from './metrics/registry.js';
export { createHttpMetrics } from './metrics/http-metrics.js';
export type { HttpMetrics, HttpMetricsOptions, HttpObservation, InFlightRequest } from './metrics/http-metrics.js';
export { OTEL_HTTP_DURATION_BUCKETS, SIZE_BUCKETS } from './metrics/buckets.js';
export { createSeriesGuard } from './metrics/series-guard.js';
export type { SeriesGuard, WarnLogger } from './metrics/series-guard.js';
export { openTelemetryTraceContext } from './metrics/trace-context.js';
export type { TraceContextProvider, TraceIds } from './metrics/trace-context.js';
export { renderExposition } from './metrics/exposition.js';
export { createMetricsHandler } from './metrics/metrics-handler.js';
export type { MetricsHandler, MetricsHandlerOptions, MetricsResponse } from './metrics/metrics-handler.js';
export { createProcessMetrics } from './metrics/process-metrics.js';
export type { ProcessMetricsOptions } from './metrics/process-metrics.js';
export { createHealthMetrics } from './metrics/health-metrics.js';
export type { HealthResultSource } from './metrics/health-metrics.js';
export { createPgPoolMetrics, createCacheMetrics, createMeasure, defineCounter, defineGauge } from './metrics/helpers.js';
export type { PgPoolStats, CacheMetrics, Measure, TypedCounter, TypedGauge } from './metrics/helpers.js';
export { UNMATCHED_ROUTE, OVERFLOW_ROUTE, OTHER_METHOD, normalizeMethod, createRouteMatcher } from './http/route-label.js';
export { createClientIpResolver } from './http/client-ip.js';
export type { ClientIpOptions, ClientIpResolver } from './http/client-ip.js';
export { negotiateExposition, TEXT_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE } from './http/negotiate.js';
export type { ExpositionFormat } from './http/negotiate.js';
export type { HttpInstrumentationOptions, RequestLogger } from './http/request-observer.js';
export { instrumentNodeHandler } from './http/node-http.js';
export type { NodeHttpInstrumentationOptions, NodeRequestHandler } from './http/node-http.js';
export { createExpressMiddleware, expressRouteOf } from './http/express.js';
export type { ExpressMiddleware, ExpressRequestLike } from './http/express.js';
export { createFastifyPlugin, fastifyRouteOf } from './http/fastify.js';
export type { FastifyVigilPlugin } from './http/fastify.js';

// logging
export { createLogger, createSecurityLogger, defaultLogLevel, DEFAULT_REDACTED_KEYS } from './logging/logger.js';
export type { LoggerFactoryOptions, LogLevel, VigilLogger, SecurityLogger } from './logging/logger.js';
export { createRequestContextStore } from './logging/request-context.js';
export type { RequestContext, RequestContextStore } from './logging/request-context.js';

// security
export { createSecurityMonitor } from './security/security-monitor.js';
export type { SecurityMonitor, SecurityMonitorOptions, SecurityAlert, SecurityEventLogger, LoginAttemptResult, WindowThreshold } from './security/security-monitor.js';
export { createMemorySecurityStore } from './security/security-store.js';
export type { SecurityStore } from './security/security-store.js';
export { createRedisSecurityStore } from './security/redis-security-store.js';
export type { RedisLike } from './security/redis-security-store.js';
export { createIpBlockMiddleware, createFastifyIpBlockHook } from './security/ip-block-middleware.js';
export type { IpBlockOptions } from './security/ip-block-middleware.js';
