import type { CliCommand } from '../command.js';
import { startCommand } from './start.js';
import { checkConfigCommand } from './check-config.js';
import { queryCommand } from './query.js';
import { checkRulesCommand } from './check-rules.js';
import { testRulesCommand } from './test-rules.js';
import { userAddCommand, userListCommand, userPasswdCommand } from './user.js';
import { tokenAddCommand, tokenListCommand, tokenRevokeCommand } from './token.js';

/**
 * Every `vigil` subcommand, in the order `vigil --help` lists them. Each lives in its own file in
 * this folder; add one line here per command.
 */
export const commands: readonly CliCommand[] = [
  // start, check config, check rules, test rules, query, user add/passwd/list, token add/list/revoke
  startCommand,
  checkConfigCommand,
  checkRulesCommand,
  testRulesCommand,
  queryCommand,
  userAddCommand,
  userPasswdCommand,
  userListCommand,
  tokenAddCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
