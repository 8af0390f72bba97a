import { VigilError } from '../errors.js';

/**
 * Error thrown by the series store: `VIGIL_ERR_OUT_OF_ORDER` (a sample older than the series'
 * newest), `VIGIL_ERR_DUPLICATE_SAMPLE` (same timestamp, different value),
 * `VIGIL_ERR_SERIES_LIMIT`, `VIGIL_ERR_SNAPSHOT_CORRUPT` and `VIGIL_ERR_WAL_CORRUPT`.
 */
export class StorageError extends VigilError {}
