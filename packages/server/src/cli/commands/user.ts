import path from 'node:path';
import { EXIT, type CliCommand, type CliIO } from '../command.js';
import { loadConfig } from '../../config/load.js';
import type { VigilConfig } from '../../config/types.js';
import { createPostgresStateStore } from '../../state/postgres-store.js';
import { createSqliteStateStore } from '../../state/sqlite-store.js';
import type { StateStore } from '../../state/types.js';
import { AuthError } from '../../auth/errors.js';
import { AUTH_MIGRATION_NAMESPACE, authMigrations } from '../../auth/migrations.js';
import { randomPassword } from '../../auth/secrets.js';
import { createSessionRepository } from '../../auth/sessions.js';
import { checkRole, createUserRepository, type UserRepository } from '../../auth/users.js';
import { parseFlags, UsageError } from './flags.js';

const COMMON_OPTIONS = `  --config FILE       config file (default vigil.yml): its state store is used
  --data-dir DIR      overrides storage.data_dir (SQLite state at DIR/state.db)
  --password-stdin    read the password from the first line of standard input
                      (otherwise one is generated and printed once)`;

/** Opens the state store the monitor uses for this config: Postgres when `state.postgres_url` is set, else SQLite in the data dir. */
async function openStore(cfg: VigilConfig, dataDir: string | undefined): Promise<StateStore> {
  if (cfg.state.postgres_url) return createPostgresStateStore({ connectionString: cfg.state.postgres_url, ...(cfg.state.schema ? { schema: cfg.state.schema } : {}) });
  const dir = dataDir ?? cfg.storage.data_dir;
  if (!dir) throw new UsageError('no durable state store: set storage.data_dir (or --data-dir) or state.postgres_url; without one users live only in the memory of a running monitor');
  return createSqliteStateStore({ path: path.join(path.resolve(dir), 'state.db') });
}

async function readStdinLine(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += String(chunk);
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0]!;
}

/** Runs `fn` with the user repository of the configured store; maps failures to exit codes. */
async function withUsers(name: string, args: string[], io: CliIO, fn: (ctx: { users: UserRepository; store: StateStore; positional: string[]; password: () => Promise<{ value: string; generated: boolean }>; flags: Record<string, string> }) => Promise<number>): Promise<number> {
  const fromStdin = args.includes('--password-stdin');
  let store: StateStore | undefined;
  try {
    const { flags, positional } = parseFlags(args.filter((a) => a !== '--password-stdin'), ['config', 'data-dir', 'role']);
    const cfg = await loadConfig(flags.config ?? 'vigil.yml');
    store = await openStore(cfg, flags['data-dir']);
    await store.migrate(AUTH_MIGRATION_NAMESPACE, authMigrations);
    const users = createUserRepository(store, Date.now);
    const password = async () => (fromStdin ? { value: await readStdinLine(), generated: false } : { value: randomPassword(), generated: true });
    return await fn({ users, store, positional, password, flags });
  } catch (err) {
    const e = err as Error & { code?: string };
    io.stderr(`vigil user ${name}: ${e.message}\n`);
    if (err instanceof UsageError || e.code === 'VIGIL_ERR_CONFIG_INVALID') return EXIT.usage;
    return err instanceof AuthError ? EXIT.failed : EXIT.runtime;
  } finally {
    await store?.close();
  }
}

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
    withUsers('add', args, io, async ({ users, positional, password, flags }) => {
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
    withUsers('passwd', args, io, async ({ users, store, positional, password }) => {
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
    withUsers('list', args, io, async ({ users }) => {
      const list = await users.list();
      const width = Math.max(8, ...list.map((u) => u.username.length));
      io.stdout(`${'USERNAME'.padEnd(width)}  ROLE       STATE     CREATED\n`);
      for (const u of list) io.stdout(`${u.username.padEnd(width)}  ${u.role.padEnd(9)}  ${(u.disabled ? 'disabled' : 'enabled').padEnd(8)}  ${u.created_at}\n`);
      return EXIT.ok;
    }),
};
