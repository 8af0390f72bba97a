import type { Integration, NotificationData } from './contract.js';
import { withExternalURL, type ResolvedDeps } from './integration-deps.js';
import type { ConsoleIntegrationConfig } from './receiver-config.js';
import { webhookPayload } from './webhook.js';

function pairs(m: Readonly<Record<string, string>>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join(' ');
}

/** Human-readable rendering of a notification, one block of lines (Vigil's `console` text format). */
export function formatConsole(data: NotificationData): string {
  const firing = data.alerts.filter((a) => a.status === 'firing').length;
  const head = `[${data.status.toUpperCase()}${data.status === 'firing' ? `:${firing}` : ''}] receiver=${data.receiver} ${pairs(data.groupLabels)}`;
  const lines = [head.trimEnd()];
  for (const a of data.alerts) {
    lines.push(`  - ${a.status} ${pairs(a.labels)}`);
    for (const k of Object.keys(a.annotations).sort()) lines.push(`      ${k}: ${a.annotations[k]}`);
  }
  return lines.join('\n');
}

/**
 * Creates Vigil's development-only `console` integration: writes each notification to stdout (or
 * `deps.write`) as text or as the one-line webhook JSON payload. It cannot fail.
 */
export function createConsoleIntegration(cfg: ConsoleIntegrationConfig, deps: ResolvedDeps): Integration {
  return {
    name: 'console',
    index: cfg.index,
    sendResolved: cfg.sendResolved,
    async notify(input) {
      const data = withExternalURL(input, deps);
      deps.write(cfg.format === 'json' ? JSON.stringify(webhookPayload(data)) : formatConsole(data));
    },
  };
}
