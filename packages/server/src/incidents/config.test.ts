import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { redactConfigYaml } from '../monitor/redact.js';
import { DEFAULT_INCIDENTS_CONFIG } from './config.js';
import { compilePlaybooks, matchingPlaybook, triggerAlertNames } from './matching.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-incidents-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'vigil.yml');

// Guide 000's "Incident Response Playbooks" file, unchanged.
const GUIDE_PLAYBOOKS = `# incident-response-playbooks.yaml
playbooks:
  high_error_rate:
    trigger: "HighErrorRate alert"
    steps:
      1: "Check application logs for error patterns"
      2: "Verify database connectivity and performance"
      3: "Check external service status (Azure OpenAI)"
      4: "Review recent deployments"
      5: "Scale application if needed"
      6: "Contact development team if issue persists"
    
  database_connection_issues:
    trigger: "DatabaseConnectionHigh/Critical alert"
    steps:
      1: "Check database server status"
      2: "Review connection pool settings"
      3: "Identify long-running queries"
      4: "Kill problematic connections if necessary"
      5: "Consider scaling database resources"
      6: "Update connection pool configuration"
    
  service_down:
    trigger: "ServiceDown alert"
    steps:
      1: "Check Kubernetes pod status"
      2: "Review pod logs for startup errors"
      3: "Verify resource availability"
      4: "Check health check endpoints"
      5: "Restart pods if necessary"
      6: "Escalate to development team"
`;

describe('incidents: config', () => {
  it('defaults: severity="critical" opens, 5m grace, 1h reopen window, no escalation', () => {
    const cfg = parseConfig('{}\n', file);
    expect(cfg.incidents).toEqual(DEFAULT_INCIDENTS_CONFIG);
    expect(cfg.state).toEqual({});
  });

  it('reads policies, escalation, playbooks (list and guide map), automations and state', () => {
    const cfg = parseConfig(
      `incidents:
  open_when:
    - 'severity="critical"'
    - match: ['team="db"', 'severity=~"high|critical"']
      escalation: { after: 10m, chain: [dba, cto] }
      public: true
  resolve_grace: 2m
  reopen_window: 30m
  escalation:
    after: 15m
    chain: [lead, boss]
  playbooks:
    - name: disk
      trigger: ['alertname="DiskFull"']
      steps: ["Free space", { title: "Grow the volume", action: "kubectl edit pvc data" }]
  automations:
    - name: runner
      when: 'service="api"'
      webhook: { url: "https://hooks.example/run" }
    - name: diag
      command: [./diag.sh, "--incident"]
      timeout: 30s
state:
  postgres_url: postgres://vigil:pw@db:5432/vigil
`,
      file,
    );
    expect(cfg.incidents).toEqual({
      enabled: true,
      open_when: [{ match: ['severity="critical"'] }, { match: ['team="db"', 'severity=~"high|critical"'], escalation: { after_ms: 600_000, chain: ['dba', 'cto'] }, public: true }],
      resolve_grace_ms: 120_000,
      reopen_window_ms: 1_800_000,
      escalation: { after_ms: 900_000, chain: ['lead', 'boss'] },
      playbooks: [{ name: 'disk', trigger: ['alertname="DiskFull"'], steps: [{ title: 'Free space' }, { title: 'Grow the volume', action: 'kubectl edit pvc data' }] }],
      automations: [
        { name: 'runner', when: ['service="api"'], webhook: { url: 'https://hooks.example/run', headers: {} }, timeout_ms: 10_000 },
        { name: 'diag', when: [], command: ['./diag.sh', '--incident'], timeout_ms: 30_000 },
      ],
    });
    expect(cfg.state).toEqual({ postgres_url: 'postgres://vigil:pw@db:5432/vigil' });
    expect(redactConfigYaml(cfg.source)).not.toContain('pw@');
    expect(redactConfigYaml(cfg.source)).toContain('postgres_url: <secret>');
  });

  it("reads guide 000's playbooks file unchanged; its triggers match the alerts they name", () => {
    fs.writeFileSync(path.join(dir, 'incident-response-playbooks.yaml'), GUIDE_PLAYBOOKS);
    const cfg = parseConfig('incidents:\n  playbooks_file: incident-response-playbooks.yaml\n', file);
    expect(cfg.incidents.playbooks.map((p) => [p.name, p.steps.length])).toEqual([
      ['high_error_rate', 6],
      ['database_connection_issues', 6],
      ['service_down', 6],
    ]);
    expect(cfg.incidents.playbooks[2]!.steps[5]).toEqual({ title: 'Escalate to development team' });
    const compiled = compilePlaybooks(cfg.incidents.playbooks);
    expect(matchingPlaybook(compiled, [{ alertname: 'DatabaseConnectionCritical' }])?.name).toBe('database_connection_issues');
    expect(matchingPlaybook(compiled, [{ alertname: 'DatabaseConnectionHigh' }])?.name).toBe('database_connection_issues');
    expect(matchingPlaybook(compiled, [{ alertname: 'HighErrorRate' }])?.name).toBe('high_error_rate');
    expect(matchingPlaybook(compiled, [{ alertname: 'ServiceDownish' }])).toBeUndefined();
    expect(triggerAlertNames('DatabaseConnectionHigh/Critical alert')).toEqual(['DatabaseConnectionHigh', 'Critical', 'DatabaseConnectionCritical']);
  });

  it('errors name file:line:column and the field', () => {
    const bad = (text: string) => {
      try {
        parseConfig(text, file);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(bad("incidents:\n  open_when:\n    - 'severity=\"critical\"'\n    - 'severity=~\"(\"'\n")).toMatch(/vigil\.yml:4:7: incidents\.open_when\[1\]\.match\[0\]: not a valid Alertmanager matcher/);
    expect(bad('incidents:\n  resolve_grace: soon\n')).toMatch(/vigil\.yml:2:18: incidents\.resolve_grace: not a valid duration/);
    expect(bad('incidents:\n  escalation:\n    after: 5m\n    chain: []\n')).toMatch(/vigil\.yml:4:12: incidents\.escalation\.chain/);
    expect(bad('incidents:\n  automations:\n    - name: both\n      webhook: { url: "http://x/" }\n      command: [ls]\n')).toMatch(/incidents\.automations\[0\]\.name: set exactly one of webhook, command/);
    expect(bad('incidents:\n  bogus: 1\n')).toMatch(/vigil\.yml:2:3: incidents\.bogus: unknown field/);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'playbooks:\n  x:\n    trigger: "A alert"\n    steps:\n      one: "Do it"\n');
    expect(bad('incidents:\n  playbooks_file: broken.yaml\n')).toMatch(/broken\.yaml:5:\d+: playbooks\.x\.steps/);
    expect(bad('incidents:\n  playbooks_file: missing.yaml\n')).toMatch(/missing\.yaml.*cannot read playbooks file: ENOENT/);
  });
});
