import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertmanagerApiPlugin } from '../src/alerting/api/plugin.js';
import { createAlertingPipeline, type AlertingPipeline } from '../src/alerting/pipeline.js';
import { amConfig, waitFor, webhookServer } from './alerting-support/helpers.js';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function startProcess(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  (child as ChildProcess & { lastStderr: () => string }).lastStderr = () => err;
  return child;
}

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-interop-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function serve(pipeline: AlertingPipeline): Promise<{ app: FastifyInstance; url: string; port: number }> {
  const app = Fastify();
  await app.register(createAlertmanagerApiPlugin({ pipeline }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(async () => {
    await pipeline.stop();
    await app.close();
  });
  return { app, url, port: Number(new URL(url).port) };
}

describe('interop with the real Prometheus and Alertmanager', () => {
  it('a real Prometheus fires a rule into Vigil API v2, delivered to a webhook', async () => {
    const hook = await webhookServer();
    cleanups.push(() => hook.close());
    const config = await amConfig(`
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1m
receivers:
  - name: hook
    webhook_configs:
      - url: '${hook.url}'
`);
    const pipeline = await createAlertingPipeline({ config });
    const { port } = await serve(pipeline);
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'rules.yml'),
      `groups:
  - name: interop
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        labels:
          severity: page
        annotations:
          summary: fires immediately
`,
    );
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:
  evaluation_interval: 1s
rule_files: ['rules.yml']
alerting:
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets: ['127.0.0.1:${port}']
`,
    );
    const promPort = await freePort();
    const prom = startProcess('prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      // The first send happens before the notifier has discovered its targets and is dropped; resend soon.
      '--rules.alert.resend-delay=1s',
    ]);
    try {
      await waitFor(() => hook.bodies.length > 0, 25_000);
    } catch (err) {
      throw new Error(`no webhook delivery; alerts in vigil: ${JSON.stringify(pipeline.alerts())}; prometheus stderr: ${(prom as ChildProcess & { lastStderr: () => string }).lastStderr().slice(-1500)}`, { cause: err });
    }
    const body = hook.bodies[0] as { status: string; alerts: { labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }[] };
    expect(body.status).toBe('firing');
    expect(body.alerts[0]!.labels).toEqual({ alertname: 'AlwaysFiring', severity: 'page' });
    expect(body.alerts[0]!.annotations.summary).toBe('fires immediately');
    expect(body.alerts[0]!.generatorURL).toContain('/graph?g0.expr=');
    expect(pipeline.alerts().map((v) => v.alert.labels.alertname)).toEqual(['AlwaysFiring']);
  }, 40_000);

  it('forwarding mode sends alerts to a real Alertmanager, which delivers them; fingerprints agree', async () => {
    const hook = await webhookServer();
    cleanups.push(() => hook.close());
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      `route:
  receiver: hook
  group_wait: 1s
receivers:
  - name: hook
    webhook_configs:
      - url: '${hook.url}'
`,
    );
    const amPort = await freePort();
    const am = startProcess('/usr/bin/prometheus-alertmanager', [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    const amUrl = `http://127.0.0.1:${amPort}`;
    const ready = async () => {
      for (let i = 0; i < 200; i++) {
        try {
          if ((await fetch(`${amUrl}/-/ready`)).ok) return;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`alertmanager did not start: ${(am as ChildProcess & { lastStderr: () => string }).lastStderr()}`);
    };
    await ready();

    const config = await amConfig(`
route:
  receiver: unused
receivers:
  - name: unused
`);
    const pipeline = await createAlertingPipeline({ config, forward: { urls: [amUrl] } });
    const { app } = await serve(pipeline);
    const labels = { alertname: 'Forwarded', service: 'api', 'zone': 'eu-1' };
    const res = await app.inject({ method: 'POST', url: '/api/v2/alerts', payload: [{ labels, annotations: { summary: 'via vigil' } }] });
    expect(res.statusCode).toBe(200);
    await pipeline.idle();
    await waitFor(() => hook.bodies.length > 0, 15_000);
    const body = hook.bodies[0] as { alerts: { labels: Record<string, string>; fingerprint: string }[] };
    expect(body.alerts[0]!.labels).toEqual(labels);
    const amAlerts = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as { fingerprint: string }[];
    const ours = pipeline.alerts()[0]!.alert.fingerprint;
    expect(amAlerts.map((a) => a.fingerprint)).toEqual([ours]);
    expect(body.alerts[0]!.fingerprint).toBe(ours);
  }, 40_000);
});
