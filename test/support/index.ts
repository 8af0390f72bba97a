/**
 * Shared helpers for Vigil's test suites: where the real services are, and how a test that needs
 * one behaves when it is missing (skips locally, fails under CI=true).
 */
export { postgresUrl, redisUrl, requireService, isCI } from './services.js';
export { until } from './wait.js';
export type { UntilOptions } from './wait.js';
