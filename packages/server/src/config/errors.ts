import { VigilError } from '../errors.js';

/** Error for an invalid vigil.yml: the message names file:line:column and the field (code VIGIL_ERR_CONFIG_INVALID). */
export class ConfigError extends VigilError {
  /** Where the problem is, when known. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  constructor(file: string, line: number, column: number, field: string, message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_CONFIG_INVALID', `${file}:${line}:${column}: ${field ? `${field}: ` : ''}${message}`, options);
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
  }
}
