/** Public surface of the alerting pipeline (Alertmanager-compatible routing, silences, API v2). */
export { parseAlertmanagerConfig, loadAlertmanagerConfig, type ParseAlertmanagerConfigOptions, type ReceiverValidator } from './config/parse.js';
export type { AlertmanagerConfig, GlobalConfig, RouteConfig, InhibitRuleConfig, ReceiverConfig } from './config/types.js';
export { parseDuration, formatDuration } from './config/duration.js';
export { createMatcher, matchesAll, matchersToString, type Matcher, type MatchType } from './matchers/matcher.js';
export { parseMatcher, parseMatchers } from './matchers/parse.js';
export { createAlertingPipeline, type AlertingPipeline, type AlertingPipelineOptions, type AlertView, type AlertGroupView, type IntegrationsFactory, type AlertingEvent, type AlertingEventAlert, type DirectNotification, type DirectNotificationResult } from './pipeline.js';
export { createAlertmanagerApiPlugin, type AlertmanagerApiOptions } from './api/plugin.js';
export { createSystemClock, createManualClock, type AlertingClock, type ManualClock, type TimerHandle } from './clock.js';
export type { DeliverFn } from './dispatch/deliverer.js';
export type { AlertingLogger } from './dispatch/logger.js';
export type { ForwardOptions } from './forward/forwarder.js';
export type { Silence, SilenceInput, SilenceMatcher, SilenceState } from './silence/silences.js';
export type { Alert, PostableAlert, LabelSet } from './types.js';
export { fingerprint } from './fingerprint.js';
export { ALERTING_METRIC_NAMES } from './metrics.js';
export { AlertingConfigError, MatcherError, SilenceError, AlertValidationError, AlertingErrorCode } from './errors.js';
