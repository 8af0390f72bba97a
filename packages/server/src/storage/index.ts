/**
 * File-backed persistence for the engine's series store: snapshot + write-ahead log in a data directory.
 */
export { openPersistentStore } from './persistent-store.js';
export type { PersistentStore, PersistentStoreOptions, PersistentStoreStats } from './persistent-store.js';
export { PersistenceError } from './errors.js';
export { registerStorageMetrics, STORAGE_METRIC_NAMES } from './metrics.js';
