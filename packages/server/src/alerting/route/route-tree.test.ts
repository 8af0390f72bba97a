import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerConfig } from '../config/parse.js';
import { buildRouteTree, groupLabels, matchRoutes } from './route-tree.js';

// The fixture is also checked against `amtool check-config` by test/alerting-config.test.ts.
const fixture = fileURLToPath(new URL('../../../test/fixtures/alertmanager/valid/routes.yml', import.meta.url));
const cfg = parseAlertmanagerConfig(fs.readFileSync(fixture, 'utf8'), fixture, { validateReceiver: null });
const root = buildRouteTree(cfg.route);

describe('route matching', () => {
  it('goes depth-first, honours continue and stops at the first match otherwise', () => {
    expect(matchRoutes(root, { team: 'a', severity: 'critical' }).map((r) => r.config.receiver)).toEqual(['a-critical', 'b']);
    expect(matchRoutes(root, { team: 'a' }).map((r) => r.config.receiver)).toEqual(['a', 'b']);
    expect(matchRoutes(root, { team: 'b' }).map((r) => r.config.receiver)).toEqual(['b']);
    expect(matchRoutes(root, { team: 'c' }).map((r) => r.config.receiver)).toEqual(['default']);
  });

  it('builds Alertmanager route keys and group labels', () => {
    const [aCrit] = matchRoutes(root, { team: 'a', severity: 'critical' });
    expect(aCrit!.key).toBe('{}/{team="a"}/{severity="critical"}');
    expect(groupLabels(aCrit!.config, { alertname: 'X', team: 'a' })).toEqual({ alertname: 'X' });
    const b = matchRoutes(root, { team: 'b' })[0]!;
    expect(groupLabels(b.config, { alertname: 'X', team: 'b' })).toEqual({ alertname: 'X', team: 'b' });
  });
});
