import path from 'node:path';
import { EXIT, type CliIO } from '../command.js';
import { loadConfig } from '../../config/load.js';
import type { VigilConfig } from '../../config/types.js';
import { createPostgresStateStore } from '../../state/postgres-store.js';
import { createSqliteStateStore } from '../../state/sqlite-store.js';
import type { StateStore } from '../../state/types.js';
import { AuthError } from '../../auth/errors.js';
import { AUTH_MIGRATION_NAMESPACE, authMigrations } from '../../auth/migrations.js';
import { randomPassword } from '../../auth/secrets.js';
import { createUserRepository, type UserRepository } from '../../auth/users.js';
import { parseFlags, UsageError } from './flags.js';

/** Opens the state store the monitor uses for this config: Postgres when `state.postgres_url` is set, else SQLite in the data dir. */
export async function openStore(cfg: VigilConfig, dataDir: string | undefined): Promise<StateStore> {
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

/** Runs `fn` with the configured state store (migrated for auth) and its users; maps failures to exit codes. */
export async function withAuthStore(
  name: string,
  args: string[],
  io: CliIO,
  fn: (ctx: { users: UserRepository; store: StateStore; positional: string[]; password: () => Promise<{ value: string; generated: boolean }>; flags: Record<string, string> }) => Promise<number>,
  extraFlags: readonly string[] = [],
): Promise<number> {
  const fromStdin = args.includes('--password-stdin');
  let store: StateStore | undefined;
  try {
    const { flags, positional } = parseFlags(args.filter((a) => a !== '--password-stdin'), ['config', 'data-dir', 'role', ...extraFlags]);
    const cfg = await loadConfig(flags.config ?? 'vigil.yml');
    store = await openStore(cfg, flags['data-dir']);
    await store.migrate(AUTH_MIGRATION_NAMESPACE, authMigrations);
    const users = createUserRepository(store, Date.now);
    const password = async () => (fromStdin ? { value: await readStdinLine(), generated: false } : { value: randomPassword(), generated: true });
    return await fn({ users, store, positional, password, flags });
  } catch (err) {
    const e = err as Error & { code?: string };
    io.stderr(`vigil ${name}: ${e.message}\n`);
    if (err instanceof UsageError || e.code === 'VIGIL_ERR_CONFIG_INVALID') return EXIT.usage;
    return err instanceof AuthError ? EXIT.failed : EXIT.runtime;
  } finally {
    await store?.close();
  }
}

