/**
 * Notifiers: receiver config parsing, integrations (webhook, Slack, PagerDuty, email, Microsoft
 * Teams, console), notification templates and reliable delivery. Exports listed by name.
 */
export type { Integration, NotificationAlert, NotificationData, NotifyFailure, NotifyFailureReason } from './contract.js';
export type {
  AlertmanagerGlobalLike,
  ConsoleIntegrationConfig,
  EmailIntegrationConfig,
  HttpClientSettings,
  IntegrationConfig,
  MSTeamsIntegrationConfig,
  MSTeamsV2IntegrationConfig,
  PagerDutyIntegrationConfig,
  ReceiverIntegrations,
  ReceiverSource,
  SlackActionConfig,
  SlackFieldConfig,
  SlackIntegrationConfig,
  WebhookIntegrationConfig,
} from './receiver-config.js';
export { parseReceiverIntegrations, INTEGRATION_KEYS, DEFAULT_PAGERDUTY_URL, DEFAULT_SLACK_COLOR } from './parse-receiver.js';
export { createIntegrations, createIntegration } from './create-integrations.js';
export type { IntegrationDeps, NotificationTemplates, NotifyLogger } from './integration-deps.js';
export type { FetchLike } from './http-post.js';
export { deliverWithRetry, filterForIntegration, systemClock } from './deliver.js';
export type { DeliverOptions, DeliveryResult, AttemptInfo, RetryClock } from './deliver.js';
export { createNotifyMetrics, NOTIFY_METRIC_NAMES } from './metrics.js';
export type { NotifyMetrics } from './metrics.js';
export { NotifyError, ReceiverConfigError, isNotifyFailure, NOTIFY_FAILED, RECEIVER_INVALID, NOTIFY_TEMPLATE_FAILED } from './notify-errors.js';
export type { ConfigLocation } from './notify-errors.js';
export { createSecret, SECRET_PLACEHOLDER } from './secret.js';
export type { Secret } from './secret.js';
export { createNotificationTemplates } from './templates.js';
export { webhookPayload } from './webhook.js';
export type { WebhookPayload } from './webhook.js';
export { pagerDutyDedupKey } from './pagerduty.js';
export { createNotifierWiring } from './wiring.js';
export type { NotifierWiring, NotifierWiringOptions } from './wiring.js';
export { loadTemplateFiles } from './template-files.js';
export type { TemplateFile } from './template-files.js';
