import { VigilError } from '../errors.js';

/** Stable codes of incident errors. */
export const IncidentErrorCode = {
  notFound: 'VIGIL_ERR_INCIDENT_NOT_FOUND',
  invalid: 'VIGIL_ERR_INCIDENT_INVALID',
  config: 'VIGIL_ERR_INCIDENTS_CONFIG',
} as const;

/** An incident operation failed: unknown id (`VIGIL_ERR_INCIDENT_NOT_FOUND`) or invalid input (`VIGIL_ERR_INCIDENT_INVALID`). */
export class IncidentError extends VigilError {}

/** Thrown when an incident id is unknown. */
export function notFound(id: string): IncidentError {
  return new IncidentError(IncidentErrorCode.notFound, `incident ${JSON.stringify(id)} not found`);
}

/** Thrown when a request or call carries invalid input. */
export function invalid(message: string): IncidentError {
  return new IncidentError(IncidentErrorCode.invalid, message);
}
