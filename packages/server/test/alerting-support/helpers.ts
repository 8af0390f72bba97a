import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { Integration, NotificationData } from '../../src/notify/contract.js';
import { parseAlertmanagerConfig } from '../../src/alerting/config/parse.js';
import type { AlertmanagerConfig } from '../../src/alerting/config/types.js';

const run = promisify(execFile);

/** Parses an inline config and asserts the real `amtool check-config` accepts it too. */
export async function amConfig(yamlText: string): Promise<AlertmanagerConfig> {
  const cfg = parseAlertmanagerConfig(yamlText, 'inline.yml');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-amcfg-'));
  const file = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(file, yamlText);
  try {
    await run('amtool', ['check-config', file]);
  } catch (err) {
    throw new Error(`amtool check-config rejected a config the test uses: ${(err as { stdout?: string }).stdout ?? err}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return cfg;
}

/** An in-process integration recording what it is asked to send; `failing` makes attempts fail (retryable). */
export function recordingIntegration(sendResolved = true): Integration & { sent: NotificationData[]; failing: boolean; attempts: number } {
  const i = {
    name: 'webhook',
    index: 0,
    sendResolved,
    sent: [] as NotificationData[],
    failing: false,
    attempts: 0,
    async notify(d: NotificationData) {
      i.attempts++;
      if (i.failing) throw Object.assign(new Error('receiver down'), { retryable: true, reason: 'serverError' });
      i.sent.push(d);
    },
  };
  return i;
}

/** A local webhook receiver on port 0 recording JSON bodies; `status` is what it answers. */
export async function webhookServer(): Promise<{ url: string; bodies: unknown[]; status: { code: number }; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const status = { code: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (status.code < 300) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = status.code;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    status,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Polls `cond` in real time (for loopback I/O to finish) up to `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending async work (store writes, loopback I/O) finish. */
export async function settle(ms = 30): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
