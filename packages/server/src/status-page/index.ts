/** The public status page: config, uptime rollup, service states, HTML/JSON/Atom plugin. */
export { createStatusPage } from './status-page.js';
export type { StatusPage, StatusPageOptions, StatusProbeEvent, StatusTargetEvent } from './status-page.js';
export { createStatusPagePlugin } from './plugin.js';
export type { StatusPagePluginOptions } from './plugin.js';
export { createUptimeRollup, STATUS_PAGE_MIGRATIONS, UPTIME_WINDOW_DAYS } from './rollup.js';
export type { UptimeRollup, UptimeRollupOptions, UptimeDay } from './rollup.js';
export { statusPageSchema, resolveStatusPageConfig, DEFAULT_STATUS_TITLE } from './config.js';
export type { StatusPageConfig, StatusServiceConfig, StatusTargetRef, RawStatusPageConfig, StatusConfigFail } from './config.js';
export type { ServiceStatus } from './health.js';
export type { PublicIncidentInput, PublicIncidentSource, PublicIncidentView } from './incidents.js';
export { buildPublicStatus } from './public-status.js';
export type { PublicStatus, PublicService, PublicUptimeDay } from './public-status.js';
export { renderStatusHtml } from './render-html.js';
export { renderStatusAtom } from './render-atom.js';
