/** Incidents: opening policy, lifecycle, timeline, playbooks, automations, escalation, MTTA/MTTR, API. */
export { createIncidentService, SYSTEM_ACTOR, type IncidentService, type IncidentServiceOptions, type OpenIncidentInput } from './service.js';
export { createIncidentsApiPlugin, type IncidentsApiOptions } from './api-plugin.js';
export { computeEmergencyStatus, type EmergencySources, type EmergencyStatus, type EmergencySample, type CriticalIssue } from './emergency-status.js';
export { incidentLink, type IncidentLinkAction } from './links.js';
export { IncidentError, IncidentErrorCode } from './errors.js';
export { INCIDENT_METRIC_NAMES } from './metrics.js';
export { INCIDENTS_NAMESPACE, incidentMigrations } from './migrations.js';
export { runAutomation, AUTOMATION_OUTPUT_LIMIT, type AutomationResult, type AutomationContext } from './automations.js';
export { redactIncidentText } from './redact.js';
export { normalizeSeverity, highestSeverity } from './severity.js';
export { triggerAlertNames } from './matching.js';
export {
  incidentsConfigSchema,
  stateConfigSchema,
  playbooksFileSchema,
  normalizeIncidentsConfig,
  DEFAULT_INCIDENTS_CONFIG,
  type IncidentsConfig,
  type IncidentPolicyConfig,
  type EscalationConfig,
  type PlaybookConfig,
  type AutomationConfig,
  type StateConfig,
} from './config.js';
export type {
  Incident,
  IncidentSummary,
  IncidentAlert,
  IncidentEvent,
  IncidentListFilter,
  IncidentSeverity,
  IncidentStatus,
  IncidentStatsGroup,
  PlaybookStepState,
  PublicIncident,
  PublicUpdate,
  PublicUpdateStatus,
  TimelineEntry,
  TimelineKind,
  EscalationView,
} from './types.js';
