import { createConsoleIntegration } from './console.js';
import type { Integration } from './contract.js';
import { createEmailIntegration } from './email.js';
import type { FetchLike } from './http-post.js';
import { readUtf8, type IntegrationDeps, type ResolvedDeps } from './integration-deps.js';
import { createMSTeamsIntegration, createMSTeamsV2Integration } from './msteams.js';
import { createPagerDutyIntegration } from './pagerduty.js';
import type { IntegrationConfig, ReceiverIntegrations } from './receiver-config.js';
import { createSlackIntegration } from './slack.js';
import { createNotificationTemplates } from './templates.js';
import { createWebhookIntegration } from './webhook.js';

function resolveDeps(deps: IntegrationDeps): ResolvedDeps {
  return {
    externalURL: deps.externalURL.replace(/\/+$/, ''),
    templates: deps.templates ?? createNotificationTemplates(),
    clock: deps.clock ?? { now: () => Date.now() },
    readFile: deps.readFile ?? readUtf8,
    write: deps.write ?? ((line: string) => void process.stdout.write(`${line}\n`)),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.fetch ? { fetch: deps.fetch as FetchLike } : {}),
  };
}

/** Creates the integration for one validated config. */
export function createIntegration(cfg: IntegrationConfig, deps: IntegrationDeps): Integration {
  return build(cfg, resolveDeps(deps));
}

function build(cfg: IntegrationConfig, d: ResolvedDeps): Integration {
  switch (cfg.type) {
    case 'webhook':
      return createWebhookIntegration(cfg, d);
    case 'slack':
      return createSlackIntegration(cfg, d);
    case 'pagerduty':
      return createPagerDutyIntegration(cfg, d);
    case 'email':
      return createEmailIntegration(cfg, d);
    case 'msteams':
      return createMSTeamsIntegration(cfg, d);
    case 'msteamsv2':
      return createMSTeamsV2Integration(cfg, d);
    case 'console':
      return createConsoleIntegration(cfg, d);
  }
}

/**
 * Creates one {@link Integration} per configured integration of a validated receiver (from
 * `parseReceiverIntegrations`), in Alertmanager's order. Each `notify` makes exactly one attempt;
 * wrap it with `deliverWithRetry` for retries and metrics.
 */
export function createIntegrations(receiver: ReceiverIntegrations, deps: IntegrationDeps): Integration[] {
  const d = resolveDeps(deps);
  return receiver.configs.map((c) => build(c, d));
}
