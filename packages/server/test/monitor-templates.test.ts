/**
 * Alertmanager `templates:` files in the monitor's alerting config: loaded relative to the config
 * file and used by receivers, as Alertmanager does; a missing named file fails the config.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/monitor/index.js';

let monitor: Monitor | undefined;
let server: Server | undefined;
afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function slackStandIn(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000`, bodies };
}

function writeConfig(dir: string, slackUrl: string, templates: string): string {
  const file = path.join(dir, 'vigil.yml');
  writeFileSync(
    file,
    `alerting:
  config:
    route:
      receiver: team
      group_by: [alertname]
      group_wait: 0s
    receivers:
      - name: team
        slack_configs:
          - api_url: ${slackUrl}
            channel: '#alerts'
            title: '{{ template "team.title" . }}'
            text: '{{ template "team.text" . }}'
    templates: [${templates}]
`,
  );
  return file;
}

describe('monitor alerting templates', () => {
  it('loads templates: globs relative to vigil.yml and renders receivers with them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-tmpl-'));
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(
      path.join(dir, 'templates', 'team.tmpl'),
      `{{ define "team.title" }}[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }}{{ end }}
{{ define "team.text" }}{{ range .Alerts }}{{ .Labels.instance }}: {{ .Annotations.summary }}; {{ end }}{{ end }}`,
    );
    const slack = await slackStandIn();
    monitor = await createMonitor({ config: writeConfig(dir, slack.url, "'templates/*.tmpl'"), port: 0 });
    const res = await fetch(`${monitor.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'DiskFull', instance: 'db-1' }, annotations: { summary: 'disk at 97%' } }]),
    });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (slack.bodies.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const body = JSON.stringify(slack.bodies[0]);
    expect(body).toContain('[FIRING] DiskFull');
    expect(body).toContain('db-1: disk at 97%; ');
  });

  it('refuses a config naming a template file that does not exist', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-tmpl-'));
    await expect(createMonitor({ config: writeConfig(dir, 'http://127.0.0.1:9/x', "'missing.tmpl'"), port: 0 })).rejects.toThrow(/missing\.tmpl/);
  });
});
