#!/usr/bin/env node
// The `vigil` command. Runs the CLI from a precompiled bundle of the TypeScript sources (see
// load-cli.mjs: a resident tsx loader costs a long-running monitor ≈ 50 MiB), or through tsx.
import { loadCli } from './load-cli.mjs';

const { runCli } = await loadCli();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
