/**
 * Base class of every error that @vigil/dashboard throws: carries a stable, documented `code`
 * (`VIGIL_ERR_*`) that callers and tests can match on, and the underlying `cause` when there is one.
 */
export class VigilError extends Error {
  /** Stable machine-readable code, e.g. `VIGIL_ERR_CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Error thrown when the dashboard's assets cannot be bundled (`VIGIL_ERR_DASHBOARD_BUILD`). */
export class DashboardBuildError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_DASHBOARD_BUILD', message, options);
  }
}
