import { VigilError } from '../errors.js';

/** Codes of state-store errors. */
export const StateErrorCode = {
  storeFailed: 'VIGIL_ERR_STATE_STORE',
  migrationFailed: 'VIGIL_ERR_STATE_MIGRATION',
} as const;

/** A state-store failure; the message never contains the connection string or its password. */
export class StateStoreError extends VigilError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
