/**
 * Public entry of @vigil/node: every export is listed here by name (no `export *`).
 */
export { VigilError } from './errors.js';
