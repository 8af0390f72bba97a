/**
 * Public entry of @vigil/server: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';
