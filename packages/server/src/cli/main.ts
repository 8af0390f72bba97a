import { EXIT, type CliCommand, type CliIO } from './command.js';
import { commands as allCommands } from './commands/index.js';

function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(0, ...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'Usage: vigil <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `vigil <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

/**
 * Runs the `vigil` CLI with `argv` (without node and script) and resolves the exit code. Picks the
 * command whose words match the longest prefix of `argv`.
 */
export async function runCli(
  argv: string[],
  io: CliIO,
  commands: readonly CliCommand[] = allCommands,
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(usage(commands));
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const matched = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => argv[i] === word));
  if (!matched) {
    io.stderr(`vigil: unknown command "${argv.join(' ')}"\n\n${usage(commands)}`);
    return EXIT.usage;
  }
  const rest = argv.slice(matched.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(matched.help.endsWith('\n') ? matched.help : matched.help + '\n');
    return EXIT.ok;
  }
  try {
    return await matched.run(rest, io);
  } catch (err) {
    const code = (err as { code?: string }).code;
    io.stderr(`vigil ${matched.path.join(' ')}: ${(err as Error).message}${code ? ` (${code})` : ''}\n`);
    return EXIT.runtime;
  }
}
