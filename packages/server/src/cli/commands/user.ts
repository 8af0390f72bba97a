import { EXIT, type CliCommand } from '../command.js';
import { createSessionRepository } from '../../auth/sessions.js';
import { checkRole } from '../../auth/users.js';
import { withAuthStore } from './auth-store.js';
import { UsageError } from './flags.js';

const COMMON_OPTIONS = `  --config FILE       config file (default vigil.yml): its state store is used
  --data-dir DIR      overrides storage.data_dir (SQLite state at DIR/state.db)
  --password-stdin    read the password from the first line of standard input
                      (otherwise one is generated and printed once)`;

/** `vigil user add`: creates a user in the configured state store. */
export const userAddCommand: CliCommand = {
  path: ['user', 'add'],
  summary: 'Create a user (viewer, responder or admin) in the state store',
  help: `Usage: vigil user add USERNAME [--role viewer|responder|admin] [--password-stdin] [--config vigil.yml] [--data-dir DIR]

Creates a user who can log in to the dashboard and API. The role defaults to viewer.

Options:
  --role ROLE         viewer (read), responder (also acts on incidents and silences), admin (also users and tokens)
${COMMON_OPTIONS}

Exit codes: 0 created, 1 refused (user exists, bad name or password), 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('user add', args, io, async ({ users, positional, password, flags }) => {
      if (positional.length !== 1) throw new UsageError('expected exactly one USERNAME');
      const username = positional[0]!;
      const role = checkRole(flags.role ?? 'viewer');
      const pw = await password();
      await users.create({ username, password: pw.value, role });
      io.stdout(`created user "${username}" (role ${role})\n`);
      if (pw.generated) io.stdout(`password: ${pw.value}\n(shown only now; it is stored hashed)\n`);
      return EXIT.ok;
    }),
};

/** `vigil user passwd`: sets a user's password and ends their sessions. */
export const userPasswdCommand: CliCommand = {
  path: ['user', 'passwd'],
  summary: "Set a user's password (ends their sessions)",
  help: `Usage: vigil user passwd USERNAME [--password-stdin] [--config vigil.yml] [--data-dir DIR]

Sets the password of an existing user (for example a locked-out admin) and ends all of the user's
sessions. Works while the monitor runs: it shares the state store.

Options:
${COMMON_OPTIONS}

Exit codes: 0 changed, 1 refused (no such user, password too short), 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('user passwd', args, io, async ({ users, store, positional, password }) => {
      if (positional.length !== 1) throw new UsageError('expected exactly one USERNAME');
      const username = positional[0]!;
      const pw = await password();
      await users.setPassword(username, pw.value);
      await createSessionRepository(store, Date.now, () => 0).deleteForUser(username);
      io.stdout(`password of "${username}" changed; their sessions ended\n`);
      if (pw.generated) io.stdout(`password: ${pw.value}\n(shown only now; it is stored hashed)\n`);
      return EXIT.ok;
    }),
};

/** `vigil user list`: lists users (never passwords). */
export const userListCommand: CliCommand = {
  path: ['user', 'list'],
  summary: 'List users and their roles',
  help: `Usage: vigil user list [--config vigil.yml] [--data-dir DIR]

Prints one line per user: name, role, whether disabled, and when created.
Exit codes: 0 listed, 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('user list', args, io, async ({ users }) => {
      const list = await users.list();
      const width = Math.max(8, ...list.map((u) => u.username.length));
      io.stdout(`${'USERNAME'.padEnd(width)}  ROLE       STATE     CREATED\n`);
      for (const u of list) io.stdout(`${u.username.padEnd(width)}  ${u.role.padEnd(9)}  ${(u.disabled ? 'disabled' : 'enabled').padEnd(8)}  ${u.created_at}\n`);
      return EXIT.ok;
    }),
};

