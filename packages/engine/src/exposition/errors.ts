import { VigilError } from '../errors.js';

/**
 * Error thrown by the exposition parser for malformed input (`VIGIL_ERR_EXPOSITION_PARSE`) or an
 * exceeded limit (`VIGIL_ERR_EXPOSITION_LIMIT`); `line` and `column` are 1-based and `expected`
 * says what the parser wanted at that point.
 */
export class ExpositionParseError extends VigilError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column (in characters) of the problem. */
  readonly column: number;
  /** What the parser expected there (or which limit was exceeded). */
  readonly expected: string;

  constructor(code: 'VIGIL_ERR_EXPOSITION_PARSE' | 'VIGIL_ERR_EXPOSITION_LIMIT', line: number, column: number, expected: string) {
    super(code, `${line}:${column}: ${code === 'VIGIL_ERR_EXPOSITION_LIMIT' ? 'limit exceeded' : 'parse error'}: ${expected}`);
    this.line = line;
    this.column = column;
    this.expected = expected;
  }
}
