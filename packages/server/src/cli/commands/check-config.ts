import { EXIT, type CliCommand } from '../command.js';
import { loadConfig } from '../../config/load.js';
import { loadRuleFiles } from '../../rules-runtime/engine-runtime.js';
import { loadAlertmanagerConfig, parseAlertmanagerConfig } from '../../alerting/config/parse.js';

/** `vigil check config`: validates vigil.yml, its rule files and its alerting config. */
export const checkConfigCommand: CliCommand = {
  path: ['check', 'config'],
  summary: 'Validate vigil.yml with its rule files and alerting config',
  help: `Usage: vigil check config [FILE...]

Checks each config file (default vigil.yml): YAML syntax, every field, the rule files it names, and
the inline or referenced Alertmanager config. Errors name file:line:column and the field.
Exit codes: 0 all valid, 1 a config is invalid, 2 a file cannot be read.
`,
  async run(args, io) {
    const files = args.length ? args : ['vigil.yml'];
    let code: number = EXIT.ok;
    for (const f of files) {
      try {
        const cfg = await loadConfig(f);
        const groups = await loadRuleFiles(cfg.rule_files, cfg.global.evaluation_interval_ms);
        if (cfg.alerting.mode === 'inline') parseAlertmanagerConfig(cfg.alerting.text, `${f} (alerting.config)`);
        if (cfg.alerting.mode === 'file') await loadAlertmanagerConfig(cfg.alerting.config_file);
        const rules = groups.reduce((n, g) => n + g.group.rules.length, 0);
        io.stdout(`Checking ${f}\n  SUCCESS: ${cfg.scrape_configs.length} scrape configs, ${cfg.probes.length} probes, ${rules} rules in ${groups.length} groups\n`);
      } catch (err) {
        const e = err as Error & { code?: string; line?: number };
        io.stderr(`Checking ${f}\n  FAILED: ${e.message}\n`);
        const unreadable = e.code === 'VIGIL_ERR_CONFIG_INVALID' && e.line === 0;
        code = Math.max(code, unreadable ? EXIT.usage : EXIT.failed);
      }
    }
    return code;
  },
};
