import type { CliCommand } from '../command.js';
import { startCommand } from './start.js';
import { checkConfigCommand } from './check-config.js';
import { queryCommand } from './query.js';
import { checkRulesCommand } from './check-rules.js';
import { testRulesCommand } from './test-rules.js';
import { userAddCommand, userListCommand, userPasswdCommand } from './user.js';

/**
 * Every `vigil` subcommand, in the order `vigil --help` lists them. Each lives in its own file in
 * this folder; add one line here per command.
 */
export const commands: readonly CliCommand[] = [
  // start, check config, check rules, test rules, query, user add/passwd/list
  startCommand,
  checkConfigCommand,
  checkRulesCommand,
  testRulesCommand,
  queryCommand,
  userAddCommand,
  userPasswdCommand,
  userListCommand,
];
