import { EXIT, type CliCommand } from '../command.js';
import { createApiTokenRepository } from '../../auth/api-tokens.js';
import { AuthError, AuthErrorCode } from '../../auth/errors.js';
import { checkRole } from '../../auth/users.js';
import { parseConfigDuration } from '../../config/duration.js';
import { withAuthStore } from './auth-store.js';
import { UsageError } from './flags.js';

const TOKEN_STORE_OPTIONS = `  --config FILE       config file (default vigil.yml): its state store is used
  --data-dir DIR      overrides storage.data_dir (SQLite state at DIR/state.db)`;

/** `vigil token add`: creates an API token and prints its secret once. */
export const tokenAddCommand: CliCommand = {
  path: ['token', 'add'],
  summary: 'Create an API token for automation (the secret is printed once)',
  help: `Usage: vigil token add NAME [--role viewer|responder|admin] [--expires-in DURATION] [--config vigil.yml] [--data-dir DIR]

Creates an API token (vgl_…) for scripts, Grafana, promtool or amtool and prints it once; the store
keeps only its hash. Send it as "Authorization: Bearer <token>" (or as a basic-auth password).

Options:
  --role ROLE         viewer (default), responder or admin
  --expires-in D      lifetime such as 90d or 12h (default: no expiry)
${TOKEN_STORE_OPTIONS}

Exit codes: 0 created, 1 refused (bad name, role or duration), 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('token add', args, io, async ({ store, positional, flags }) => {
      if (positional.length !== 1) throw new UsageError('expected exactly one NAME');
      let expiresAt: number | undefined;
      if (flags['expires-in'] !== undefined) {
        const ms = parseConfigDuration(flags['expires-in']);
        if (!ms) throw new AuthError(AuthErrorCode.invalidInput, '--expires-in must be a duration such as 90d or 12h');
        expiresAt = Date.now() + ms;
      }
      const created = await createApiTokenRepository(store, Date.now).create({
        name: positional[0]!,
        role: checkRole(flags.role ?? 'viewer'),
        createdBy: 'cli',
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      io.stdout(`created token "${created.info.name}" (id ${created.info.id}, role ${created.info.role}${created.info.expires_at ? `, expires ${created.info.expires_at}` : ''})\n${created.token}\n(shown only now; it is stored hashed)\n`);
      return EXIT.ok;
    }, ['expires-in']),
};

/** `vigil token list`: lists API tokens without their secrets. */
export const tokenListCommand: CliCommand = {
  path: ['token', 'list'],
  summary: 'List API tokens (never their secrets)',
  help: `Usage: vigil token list [--config vigil.yml] [--data-dir DIR]

Prints one line per token: id, name, role, state (active, revoked, expired), expiry and last use.
Exit codes: 0 listed, 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('token list', args, io, async ({ store }) => {
      const now = Date.now();
      io.stdout('ID                NAME                      ROLE       STATE     EXPIRES                   LAST USED\n');
      for (const t of await createApiTokenRepository(store, Date.now).list()) {
        const state = t.revoked_at ? 'revoked' : t.expires_at && Date.parse(t.expires_at) <= now ? 'expired' : 'active';
        io.stdout(`${t.id.padEnd(16)}  ${JSON.stringify(t.name).padEnd(24)}  ${t.role.padEnd(9)}  ${state.padEnd(8)}  ${(t.expires_at ?? '-').padEnd(24)}  ${t.last_used_at ?? '-'}\n`);
      }
      return EXIT.ok;
    }),
};

/** `vigil token revoke`: revokes an API token by id. */
export const tokenRevokeCommand: CliCommand = {
  path: ['token', 'revoke'],
  summary: 'Revoke an API token by id',
  help: `Usage: vigil token revoke ID [--config vigil.yml] [--data-dir DIR]

Revokes the token at once, on every replica sharing the state store.
Exit codes: 0 revoked, 1 no such active token, 2 bad flags or config, 3 store failure.
`,
  run: (args, io) =>
    withAuthStore('token revoke', args, io, async ({ store, positional }) => {
      if (positional.length !== 1) throw new UsageError('expected exactly one token ID');
      await createApiTokenRepository(store, Date.now).revoke(positional[0]!);
      io.stdout(`token ${positional[0]} revoked\n`);
      return EXIT.ok;
    }),
};
