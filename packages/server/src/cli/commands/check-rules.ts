import { readFileSync } from 'node:fs';
import { checkRuleFile, formatRuleProblem } from '@vigil/engine';
import { EXIT, type CliCommand } from '../command.js';

/**
 * `vigil check rules FILE...`: validates Prometheus rule files like `promtool check rules`. Prints
 * `Checking FILE` and `  SUCCESS: N rules found`, or `  FAILED:` and one `file:line:col: message`
 * per problem on stderr. Exit 0 when all files are valid, 1 when one is invalid, 2 on usage errors
 * or an unreadable file.
 */
export const checkRulesCommand: CliCommand = {
  path: ['check', 'rules'],
  summary: 'Validate Prometheus rule files (like promtool check rules)',
  help: [
    'Usage: vigil check rules FILE...',
    '',
    'Validates Prometheus rule files: YAML structure, group names, PromQL expressions, durations,',
    'record/alert names, label and annotation names, and that label/annotation templates parse.',
    'Output matches promtool: "Checking FILE" then "  SUCCESS: N rules found", or "  FAILED:" with',
    'one "file:line:column: message" line per problem (on stderr).',
    '',
    'Exit codes: 0 all valid, 1 a file is invalid, 2 usage error or unreadable file.',
  ].join('\n'),
  async run(args, io) {
    const files = args.filter((a) => !a.startsWith('--'));
    const unknown = args.find((a) => a.startsWith('--'));
    if (unknown) {
      io.stderr(`vigil check rules: unknown flag ${unknown}\n`);
      return EXIT.usage;
    }
    if (files.length === 0) {
      io.stderr(
        'vigil check rules: at least one rule file is required\nUsage: vigil check rules FILE...\n',
      );
      return EXIT.usage;
    }
    let failed = false;
    let unreadable = false;
    for (const f of files) {
      io.stdout(`Checking ${f}\n`);
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.stderr(
          `  FAILED:\n${f}: open ${f}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}\n`,
        );
        io.stdout('\n');
        unreadable = true;
        continue;
      }
      const r = checkRuleFile(f, text);
      if (r.problems.length > 0) {
        failed = true;
        io.stderr('  FAILED:\n' + r.problems.map((p) => formatRuleProblem(p) + '\n').join(''));
      } else {
        io.stdout(`  SUCCESS: ${r.ruleCount} rules found\n`);
      }
      io.stdout('\n');
    }
    return unreadable ? EXIT.usage : failed ? EXIT.failed : EXIT.ok;
  },
};
