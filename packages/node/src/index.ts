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
