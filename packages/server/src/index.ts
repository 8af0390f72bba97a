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
