import { VigilError } from '../errors.js';

/**
 * A template that does not parse. `message` is Go's text (`template: NAME:LINE: ...`); code
 * `VIGIL_ERR_TEMPLATE_PARSE`.
 */
export class TemplateParseError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_TEMPLATE_PARSE', message, options);
  }
}

/**
 * A template that failed while executing. `message` is Go's text
 * (`template: NAME:LINE:COL: executing "NAME" at <NODE>: ...`); code `VIGIL_ERR_TEMPLATE_EXEC`.
 */
export class TemplateExecError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_TEMPLATE_EXEC', message, options);
  }
}
