import { EXIT, type CliCommand } from '../command.js';
import { createMonitor } from '../../monitor/create-monitor.js';
import { ConfigError } from '../../config/errors.js';
import { parseFlags, UsageError } from './flags.js';

/** `vigil start`: runs the monitor from vigil.yml until SIGINT/SIGTERM; SIGHUP reloads the config. */
export const startCommand: CliCommand = {
  path: ['start'],
  summary: 'Run the monitor (scrape, probes, rules, alerting, HTTP API) from vigil.yml',
  help: `Usage: vigil start [--config vigil.yml] [--port N] [--listen-address ADDR] [--data-dir DIR]

Runs the monitor: scrapes the configured targets, runs probes, evaluates rule files, routes alerts,
and serves Prometheus's HTTP API v1 and Alertmanager's API v2 on one port.

Options:
  --config FILE          config file (default vigil.yml)
  --port N               listen port, overrides server.port (0 = any free port)
  --listen-address ADDR  listen address, overrides server.listen_address
  --data-dir DIR         where state lives, overrides storage.data_dir

Signals: SIGHUP (or POST /-/reload) reloads the config, keeping the old one when the new one is bad;
SIGINT/SIGTERM stop gracefully. Exit codes: 0 stopped, 2 bad flags or config, 3 runtime failure.
`,
  async run(args, io) {
    let flags: Record<string, string>;
    try {
      ({ flags } = parseFlags(args, ['config', 'port', 'listen-address', 'data-dir']));
    } catch (err) {
      io.stderr(`vigil start: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    const port = flags.port !== undefined ? Number(flags.port) : undefined;
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
      io.stderr(`vigil start: --port must be 0-65535, got ${flags.port}\n`);
      return EXIT.usage;
    }
    let monitor;
    try {
      monitor = await createMonitor({
        config: flags.config ?? 'vigil.yml',
        ...(port !== undefined ? { port } : {}),
        ...(flags['listen-address'] ? { listenAddress: flags['listen-address'] } : {}),
        ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
        log: (line) => io.stdout(`${new Date().toISOString()} ${line}\n`),
        auth: {
          // Printed here only, once: the monitor stores the hash and never logs the password.
          onAdminCreated: (e) => {
            if (e.password) io.stdout(`\nFirst start: created user "${e.username}" (admin) with password: ${e.password}\nIt is shown only this once. Change it with: vigil user passwd ${e.username}\n\n`);
          },
        },
      });
    } catch (err) {
      io.stderr(`vigil start: ${(err as Error).message}\n`);
      return err instanceof ConfigError || err instanceof UsageError ? EXIT.usage : EXIT.runtime;
    }
    const m = monitor;
    const cfg = m.config();
    const lines = [`Vigil is running at ${m.url}`, `  web UI:   ${m.url}/ui/`, `  config:   ${cfg.file}`, `  API:      ${m.url}/api/v1/query?query=up`, `  alerts:   ${m.url}/api/v2/alerts`, `  metrics:  ${m.url}/metrics`, ...(cfg.status_page.enabled ? [`  status:   ${m.url}/status`] : []), '  targets:'];
    for (const t of m.scrape.targets()) lines.push(`    ${t.target.job.padEnd(16)} ${t.target.url}`);
    if (cfg.probes.length) {
      lines.push('  probes:');
      for (const p of cfg.probes) lines.push(`    ${p.name.padEnd(16)} ${p.type} ${p.target}`);
    }
    lines.push('  rules:');
    for (const g of m.rules.groups()) lines.push(`    ${g.name} (${g.rules.length} rules, every ${g.interval}s) ${g.file}`);
    io.stdout(lines.join('\n') + '\n');

    return await new Promise<number>((resolve) => {
      const onHup = (): void => {
        m.reload().catch(() => undefined);
      };
      const onStop = (): void => {
        process.off('SIGHUP', onHup);
        process.off('SIGINT', onStop);
        process.off('SIGTERM', onStop);
        m.stop().then(
          () => resolve(EXIT.ok),
          (err: unknown) => {
            io.stderr(`vigil start: shutdown failed: ${(err as Error).message}\n`);
            resolve(EXIT.runtime);
          },
        );
      };
      process.on('SIGHUP', onHup);
      process.on('SIGINT', onStop);
      process.on('SIGTERM', onStop);
    });
  },
};
