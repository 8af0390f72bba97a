/** Where a CLI command writes; tests pass collectors, the binary passes process streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * One `vigil` subcommand. `run` returns the process exit code: 0 success, 1 a failed check or
 * test, 2 usage or input errors (unreadable file, bad flags), 3 a runtime failure.
 */
export interface CliCommand {
  /** Words that select the command, e.g. `['check', 'rules']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Exit codes the CLI promises to scripts. */
export const EXIT = { ok: 0, failed: 1, usage: 2, runtime: 3 } as const;
