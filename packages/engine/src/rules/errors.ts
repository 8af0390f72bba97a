import { VigilError } from '../errors.js';

/** One problem found in a rule file, with its 1-based position (0:0 when the field is absent). */
export interface RuleFileProblem {
  file: string;
  line: number;
  column: number;
  /** promtool's wording, e.g. `group "g", rule 1, "X": could not parse expression: ...`. */
  message: string;
}

/**
 * A rule file that failed validation (code `VIGIL_ERR_RULE_INVALID`): `problems` lists every
 * finding; the message has one `file:line:column: message` line per problem.
 */
export class RuleFileError extends VigilError {
  readonly problems: RuleFileProblem[];
  constructor(problems: RuleFileProblem[]) {
    super('VIGIL_ERR_RULE_INVALID', problems.map(formatRuleProblem).join('\n'));
    this.problems = problems;
  }
}

/** Formats a problem as `file:line:column: message`. */
export function formatRuleProblem(p: RuleFileProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

/** A failure while evaluating a rule (code `VIGIL_ERR_RULE_EVAL`), e.g. a limit exceeded. */
export class RuleEvalError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VIGIL_ERR_RULE_EVAL', message, options);
  }
}
