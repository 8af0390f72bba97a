import { VigilError } from '../errors.js';

/**
 * Error thrown by the file-backed series store: `VIGIL_ERR_STORAGE_IO` (reading or writing the
 * data directory failed; the message names the file, never secrets) or `VIGIL_ERR_STORAGE_CLOSED`.
 */
export class PersistenceError extends VigilError {}
