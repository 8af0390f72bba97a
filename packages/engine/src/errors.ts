/**
 * Base class of every error that @vigil/engine throws: carries a stable, documented `code`
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
