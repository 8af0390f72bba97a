import type { Registry } from 'prom-client';
import type { Integration, NotificationData } from './contract.js';
import { createIntegrations } from './create-integrations.js';
import { deliverWithRetry, type DeliverOptions, type RetryClock } from './deliver.js';
import type { FetchLike } from './http-post.js';
import type { NotificationTemplates, NotifyLogger } from './integration-deps.js';
import { createNotifyMetrics } from './metrics.js';
import { parseReceiverIntegrations } from './parse-receiver.js';
import type { ReceiverIntegrations, ReceiverSource } from './receiver-config.js';
import { createNotificationTemplates } from './templates.js';
import type { TemplateFile } from './template-files.js';

/** Options of {@link createNotifierWiring}. */
export interface NotifierWiringOptions {
  /** Vigil's external URL (`.ExternalURL`, links back from Slack/PagerDuty/Teams/email). */
  readonly externalURL: string;
  /** Registry for the notifier metrics (none: no metrics). */
  readonly registry?: Registry;
  /** Loaded `templates:` files (see `loadTemplateFiles`). */
  readonly templateFiles?: readonly TemplateFile[];
  /** Overrides the template renderer entirely. */
  readonly templates?: NotificationTemplates;
  readonly fetch?: FetchLike;
  readonly logger?: NotifyLogger;
  /** Clock for retries (the dispatcher's clock, so tests can drive it). */
  readonly clock?: RetryClock;
  /** Extra retry options (backoff, attempt timeout). */
  readonly retry?: Omit<DeliverOptions, 'signal' | 'clock' | 'metrics'>;
}

/** The three hooks the alerting pipeline takes from the notifiers. */
export interface NotifierWiring {
  /** Validates a receiver's YAML map (for the config loader); returns its {@link ReceiverIntegrations}. */
  validateReceiver(receiverYaml: Record<string, unknown>, global: { readonly values: Readonly<Record<string, unknown>> }, source: string | ReceiverSource): ReceiverIntegrations;
  /** Builds a receiver's integrations from what `validateReceiver` returned (or from its raw YAML). */
  integrationsFactory(receiver: { readonly name: string; readonly raw: Readonly<Record<string, unknown>>; readonly integrations?: unknown }): Integration[];
  /** Delivers one notification with retries, metrics and logging, until success or abort. */
  deliver(integration: Integration, data: NotificationData, options: { signal: AbortSignal }): Promise<void>;
}

function isReceiverIntegrations(x: unknown): x is ReceiverIntegrations {
  return typeof x === 'object' && x !== null && Array.isArray((x as ReceiverIntegrations).configs) && typeof (x as ReceiverIntegrations).redacted === 'function';
}

/**
 * Connects the notifiers to the alerting pipeline: pass `validateReceiver` to the config parser
 * and `integrationsFactory` and `deliver` to `createAlertingPipeline`. Failed attempts are logged
 * (without secrets) at warn level and counted in the notifier metrics.
 */
export function createNotifierWiring(options: NotifierWiringOptions): NotifierWiring {
  const metrics = options.registry ? createNotifyMetrics(options.registry) : undefined;
  const templates = options.templates ?? createNotificationTemplates({ files: options.templateFiles ?? [] });
  const deps = {
    externalURL: options.externalURL,
    templates,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const log = options.logger;
  return {
    validateReceiver(receiverYaml, global, source) {
      return parseReceiverIntegrations(receiverYaml, global.values, typeof source === 'string' ? { file: source } : source);
    },
    integrationsFactory(receiver) {
      const parsed = isReceiverIntegrations(receiver.integrations) ? receiver.integrations : parseReceiverIntegrations(receiver.raw, {}, { file: '<config>' });
      return createIntegrations(parsed, deps);
    },
    async deliver(integration, data, { signal }) {
      await deliverWithRetry(integration, data, {
        ...options.retry,
        signal,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(metrics ? { metrics } : {}),
        onAttempt: (a) => {
          if (a.error && log) {
            log.warn(
              { integration: `${integration.name}[${integration.index}]`, receiver: data.receiver, groupKey: data.groupKey, attempt: a.attempt, reason: a.reason, nextDelayMs: a.nextDelayMs, err: a.error.message },
              'notify attempt failed',
            );
          }
          options.retry?.onAttempt?.(a);
        },
      });
    },
  };
}
