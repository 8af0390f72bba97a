import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { until as waitUntil } from '@vigil/test-support';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vigil.mjs');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function vigil(args: string[], cwd: string): { child: ChildProcess; out: () => string; exit: Promise<number> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  const exit = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
  return { child, out: () => out, exit };
}

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(what, fn, { intervalMs: 200 });

interface IncidentJson {
  id: string;
  status: string;
  title: string;
  severity: string;
  service: string;
  alert_count: number;
  timeline: { kind: string; actor: string; text: string }[];
  playbook?: { name: string };
}

describe('incidents in a real vigil process', () => {
  it('a critical rule alert from a scraped target opens an incident; escalation due after a restart is sent with ack/resolve links; acknowledged via the API; incident and timeline survive another restart', async () => {
    // The tiny target: its app reports itself down.
    const target = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end('# TYPE shop_up gauge\nshop_up 0\n');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetPort = (target.address() as AddressInfo).port;
    // The escalation receiver.
    const pages: { commonAnnotations: Record<string, string> }[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        pages.push(JSON.parse(body) as { commonAnnotations: Record<string, string> });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookPort = (hook.address() as AddressInfo).port;
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-incidents-proc-'));
    dirs.push(dir);
    writeFileSync(
      path.join(dir, 'rules.yml'),
      `groups:
  - name: shop
    rules:
      - alert: ShopDown
        expr: shop_up == 0
        labels:
          severity: critical
          service: shop
        annotations:
          summary: The shop reports itself down
          runbook_url: https://runbooks.example/shop-down
`,
    );
    writeFileSync(
      path.join(dir, 'playbooks.yml'),
      `playbooks:
  service_down:
    trigger: "ShopDown alert"
    steps:
      1: "Check Kubernetes pod status"
      2: "Restart pods if necessary"
`,
    );
    writeFileSync(
      path.join(dir, 'vigil.yml'),
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: shop
    static_configs:
      - targets: ['127.0.0.1:${targetPort}']
rule_files: [rules.yml]
alerting:
  config:
    route:
      receiver: default
      group_by: [alertname]
      group_wait: 1s
      group_interval: 2s
    receivers:
      - name: default
      - name: lead
        webhook_configs:
          - url: http://127.0.0.1:${hookPort}/lead
server:
  external_url: http://vigil.test
  auth:
    enabled: false
storage:
  data_dir: data
incidents:
  playbooks_file: playbooks.yml
  escalation:
    after: 3s
    chain: [lead]
`,
    );
    try {
      const first = vigil(['start', '--port', '0'], dir);
      const url = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(first.out())?.[1]);
      const list = async () => ((await (await fetch(`${url}/api/vigil/incidents`)).json()) as { incidents: IncidentJson[] }).incidents;
      const [summary] = await until('an incident', async () => ((await list()).length > 0 ? list() : undefined));
      expect(summary).toMatchObject({ title: 'ShopDown on shop', severity: 'critical', status: 'open', service: 'shop', alert_count: 1 });
      // Stop before the escalation is due: the restarted process escalates from the stored deadline.
      first.child.kill('SIGTERM');
      expect(await first.exit).toBe(0);
      const middle = vigil(['start', '--port', '0'], dir);
      const urlM = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(middle.out())?.[1]);
      await until('the escalation page', () => (pages.length > 0 ? true : undefined));
      expect(pages[0]!.commonAnnotations.acknowledge_url).toBe(`http://vigil.test/ui/#/incidents/${summary!.id}?action=acknowledge`);
      expect(pages[0]!.commonAnnotations.resolve_url).toBe(`http://vigil.test/ui/#/incidents/${summary!.id}?action=resolve`);
      const ack = await fetch(`${urlM}/api/vigil/incidents/${summary!.id}/acknowledge`, { method: 'POST' });
      expect(ack.status).toBe(200);
      const acked = (await ack.json()) as IncidentJson;
      expect(acked.status).toBe('acknowledged');
      expect(acked.playbook?.name).toBe('service_down');
      expect(acked.timeline.filter((t) => t.kind === 'escalated')).toHaveLength(1);
      const emergency = (await (await fetch(`${urlM}/emergency/status`)).json()) as { status: string; critical_issues: { incident_id?: string }[] };
      expect(emergency.status).toBe('emergency');
      expect(emergency.critical_issues[0]!.incident_id).toBe(summary!.id);
      middle.child.kill('SIGTERM');
      expect(await middle.exit).toBe(0);

      const second = vigil(['start', '--port', '0'], dir);
      const url2 = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(second.out())?.[1]);
      const res = await fetch(`${url2}/api/vigil/incidents/${summary!.id}`);
      expect(res.status).toBe(200);
      const after = (await res.json()) as IncidentJson;
      expect(after).toMatchObject({ id: summary!.id, status: 'acknowledged', title: 'ShopDown on shop' });
      const kinds = after.timeline.map((t) => t.kind);
      expect(kinds.slice(0, 2)).toEqual(['opened', 'alert_firing']);
      expect(kinds).toContain('acknowledged');
      expect(kinds.filter((k) => k === 'escalated')).toHaveLength(1);
      expect(pages).toHaveLength(1);
      // The alert still fires after the restart: it stays in the same incident (no second one).
      await new Promise((r) => setTimeout(r, 4000));
      const again = (await (await fetch(`${url2}/api/vigil/incidents`)).json()) as { incidents: IncidentJson[] };
      expect(again.incidents.map((i) => i.id)).toEqual([summary!.id]);
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
      await new Promise<void>((r) => hook.close(() => r()));
    }
  }, 90_000);
});
