/**
 * Public entry of @vigil/dashboard: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';
