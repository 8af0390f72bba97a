import { VigilError } from '../errors.js';

/** Codes of the errors the alerting pipeline throws. */
export const AlertingErrorCode = {
  configInvalid: 'VIGIL_ERR_ALERTING_CONFIG_INVALID',
  matcherInvalid: 'VIGIL_ERR_MATCHER_INVALID',
  silenceInvalid: 'VIGIL_ERR_SILENCE_INVALID',
  silenceNotFound: 'VIGIL_ERR_SILENCE_NOT_FOUND',
  alertInvalid: 'VIGIL_ERR_ALERT_INVALID',
} as const;

/**
 * A configuration error in an alertmanager.yml: the message starts with `file:line:column:` and names
 * the offending field, as `amtool check-config` would reject it.
 */
export class AlertingConfigError extends VigilError {
  /** Source name (file path or `vigil.yml#alerting`). */
  readonly source: string;
  readonly line: number;
  readonly column: number;
  constructor(source: string, line: number, column: number, message: string, options?: { cause?: unknown }) {
    super(AlertingErrorCode.configInvalid, `${source}:${line}:${column}: ${message}`, options);
    this.source = source;
    this.line = line;
    this.column = column;
  }
}

/** A matcher string that cannot be parsed, or a regex that does not compile. */
export class MatcherError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(AlertingErrorCode.matcherInvalid, message, options);
  }
}

/** A silence that Alertmanager would refuse (no matchers, end before start, …) or that does not exist. */
export class SilenceError extends VigilError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** A posted alert that Alertmanager would refuse (no labels, bad label name, end before start). */
export class AlertValidationError extends VigilError {
  constructor(message: string) {
    super(AlertingErrorCode.alertInvalid, message);
  }
}
