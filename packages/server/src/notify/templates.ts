import type { NotificationData } from './contract.js';
import type { NotificationTemplates } from './integration-deps.js';

/**
 * Creates the notification template renderer: Alertmanager's built-in named templates plus
 * the user's `templates:` files. (Engine wiring pending: @vigil/engine's template engine.)
 */
export function createNotificationTemplates(_options: { files?: readonly { name: string; text: string }[] } = {}): NotificationTemplates {
  const fail = (_t: string, _d: NotificationData): string => {
    throw new Error('template engine not available yet');
  };
  return { text: fail, html: fail };
}
