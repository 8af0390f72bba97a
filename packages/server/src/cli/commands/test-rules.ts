import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import {
  formatRulesTestReport,
  globToRegExp,
  hasGlobMeta,
  runRulesTestFile,
  type RulesTestFs,
} from '@vigil/engine';
import { EXIT, type CliCommand } from '../command.js';

/** Expands a path glob (`*`, `?`, `[...]` in any segment) against the file system, sorted. */
function glob(pattern: string): string[] {
  const abs = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [abs ? '/' : '.'];
  for (const part of parts) {
    if (part === '') continue;
    const next: string[] = [];
    for (const b of bases) {
      if (!hasGlobMeta(part)) {
        next.push(b === '.' && !abs ? part : posix.join(b, part));
        continue;
      }
      let names: string[] = [];
      try {
        names = readdirSync(b);
      } catch {
        continue;
      }
      const re = globToRegExp(part);
      for (const n of names.sort())
        if (re.test(n) && !(n.startsWith('.') && !part.startsWith('.')))
          next.push(b === '.' && !abs ? n : posix.join(b, n));
    }
    bases = next;
  }
  return bases.filter((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
}

const fs: RulesTestFs = { readFile: (p) => readFileSync(p, 'utf8'), glob };

/**
 * `vigil test rules FILE...`: runs `promtool test rules` unit-test files unchanged and reports like
 * promtool. Exit 0 only when every test passes, 1 when one fails, 2 on usage errors.
 */
export const testRulesCommand: CliCommand = {
  path: ['test', 'rules'],
  summary: 'Unit-test rule files with promtool test files',
  help: [
    'Usage: vigil test rules [--run REGEX] TEST_FILE...',
    '',
    'Runs promtool unit-test files (rule_files, evaluation_interval, group_eval_order, tests with',
    'input_series, alert_rule_test, promql_expr_test, external_labels, external_url) against the',
    'Vigil rule evaluator and PromQL engine. Output matches `promtool test rules`.',
    '',
    '  --run REGEX   only run test groups whose name matches',
    '',
    'Exit codes: 0 all tests pass, 1 a test failed, 2 usage error.',
  ].join('\n'),
  async run(args, io) {
    const files: string[] = [];
    let run: RegExp | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--run' || a.startsWith('--run=')) {
        const v = a === '--run' ? args[++i] : a.slice(6);
        if (v === undefined) {
          io.stderr('vigil test rules: flag --run needs a value\n');
          return EXIT.usage;
        }
        try {
          run = new RegExp(v);
        } catch (e) {
          io.stderr(`vigil test rules: --run: ${(e as Error).message}\n`);
          return EXIT.usage;
        }
      } else if (a.startsWith('--')) {
        io.stderr(`vigil test rules: unknown flag ${a}\n`);
        return EXIT.usage;
      } else files.push(a);
    }
    if (files.length === 0) {
      io.stderr(
        'vigil test rules: at least one test file is required\nUsage: vigil test rules [--run REGEX] TEST_FILE...\n',
      );
      return EXIT.usage;
    }
    let failed = false;
    for (const f of files) {
      const report = runRulesTestFile(f, fs, run ? { run } : {});
      const out = formatRulesTestReport(report);
      io.stdout(out.stdout);
      if (out.stderr) io.stderr(out.stderr);
      if (!report.passed) failed = true;
    }
    return failed ? EXIT.failed : EXIT.ok;
  },
};
