/**
 * Public entry of @vigil/dashboard: every export is listed here by name (no `export *`).
 */
export { VigilError, DashboardBuildError } from './errors.js';
export { buildDashboard, ensureDashboardBuilt, dashboardDistDir } from './build.js';
export type { DashboardBuildResult } from './build.js';
