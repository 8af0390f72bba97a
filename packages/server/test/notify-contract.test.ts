/**
 * The contract every notifier integration passes (as Alertmanager's notifier tests do): success on
 * 2xx; 5xx and 429 retryable (429 with its Retry-After); 4xx not retryable; connection failures
 * retryable; and no secret (URL token, routing key, password) in any error, even when the
 * receiver echoes the request back. Local HTTP servers and a real SMTP server on port 0.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrations, createNotificationTemplates, parseReceiverIntegrations, type Integration, type NotificationTemplates, type NotifyFailure } from '../src/notify/index.js';
import { sampleData, startCaptureServer, type CaptureServer } from './notify-support.js';

/** The real renderer with the built-in defaults: every integration renders its default payload. */
const templates: NotificationTemplates = createNotificationTemplates();
const SECRETS = ['T0K3N-SLACK', 'T0K3N-HOOK', 'R0UT1NG-KEY', 'T0K3N-TEAMS', 'T0K3N-WF', 'SMTP-P4SS'];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function build(receiver: Record<string, unknown>): Integration {
  const r = parseReceiverIntegrations({ name: 'contract', ...receiver }, {}, { file: 'am.yml' });
  return createIntegrations(r, { externalURL: 'http://vigil.local', templates })[0]!;
}

async function failure(i: Integration): Promise<NotifyFailure & Error> {
  try {
    await i.notify(sampleData());
  } catch (e) {
    return e as NotifyFailure & Error;
  }
  throw new Error('expected notify to fail');
}

function expectNoSecrets(e: Error): void {
  const all = `${e.message}\n${e.stack}\n${JSON.stringify(e)}\n${String((e as { cause?: unknown }).cause ?? '')}`;
  for (const s of SECRETS) expect(all).not.toContain(s);
}

const httpKinds: Record<string, (base: string) => Record<string, unknown>> = {
  webhook: (base) => ({ webhook_configs: [{ url: `${base}/hook/T0K3N-HOOK` }] }),
  slack: (base) => ({ slack_configs: [{ api_url: `${base}/services/T0K3N-SLACK` }] }),
  pagerduty: (base) => ({ pagerduty_configs: [{ routing_key: 'R0UT1NG-KEY', url: `${base}/v2/enqueue` }] }),
  msteams: (base) => ({ msteams_configs: [{ webhook_url: `${base}/webhookb2/T0K3N-TEAMS` }] }),
  msteamsv2: (base) => ({ msteamsv2_configs: [{ webhook_url: `${base}/workflows/T0K3N-WF?sig=T0K3N-WF` }] }),
};

describe.each(Object.keys(httpKinds))('integration contract: %s', (kind) => {
  let srv: CaptureServer;
  let integration: Integration;
  beforeAll(async () => {
    srv = await startCaptureServer();
    integration = build(httpKinds[kind]!(srv.url));
  });
  afterAll(() => srv.close());

  it('names itself as Alertmanager does', () => {
    expect(integration.name).toBe(kind);
    expect(integration.index).toBe(0);
  });

  it('resolves on 2xx with one request', async () => {
    const before = srv.requests.length;
    srv.script({ status: kind === 'msteamsv2' ? 202 : 200 });
    await integration.notify(sampleData());
    expect(srv.requests.length).toBe(before + 1);
    expect(srv.requests.at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('5xx is retryable (serverError)', async () => {
    srv.script({ status: 503, body: 'echo: ' + srv.requests.at(-1)?.path });
    const e = await failure(integration);
    expect(e).toMatchObject({ retryable: true, reason: 'serverError', code: 'VIGIL_ERR_NOTIFY_FAILED' });
    expectNoSecrets(e);
  });

  it('429 is retryable (rateLimited) with its Retry-After', async () => {
    srv.script({ status: 429, headers: { 'retry-after': '3' } });
    expect(await failure(integration)).toMatchObject({ retryable: true, reason: 'rateLimited', retryAfterMs: 3000 });
  });

  it('4xx is not retryable (clientError), even when the receiver echoes the request', async () => {
    const last = srv.requests.at(-1)!;
    srv.script({ status: 400, body: `bad request ${last.path} ${last.body}` });
    const e = await failure(integration);
    expect(e).toMatchObject({ retryable: false, reason: 'clientError' });
    expectNoSecrets(e);
  });

  it('a refused connection is retryable (connection) and names no secret', async () => {
    const port = await freePort();
    const e = await failure(build(httpKinds[kind]!(`http://127.0.0.1:${port}`)));
    expect(e).toMatchObject({ retryable: true, reason: 'connection' });
    expectNoSecrets(e);
  });
});

describe('integration contract: email', () => {
  let smtp: SMTPServer;
  let port: number;
  const mode = { rcpt: 0 as 0 | 451 | 550 };
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _s, cb) {
        if (auth.password === 'SMTP-P4SS' && auth.username === 'good') return cb(null, { user: 'good' });
        return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(_a, _s, cb) {
        if (mode.rcpt) return cb(Object.assign(new Error(mode.rcpt === 451 ? 'try again later' : 'no such user'), { responseCode: mode.rcpt }));
        cb();
      },
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
      logger: false,
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => smtp.close(() => r())));

  const email = (user = 'good', p = port): Integration =>
    build({ email_configs: [{ to: 'ops@example.com', from: 'vigil@example.com', smarthost: `127.0.0.1:${p}`, require_tls: false, auth_username: user, auth_password: 'SMTP-P4SS', html: '<p>x</p>' }] });

  it('names itself email and resolves when the server accepts', async () => {
    mode.rcpt = 0;
    expect(email().name).toBe('email');
    await email().notify(sampleData());
  });

  it('a 4xx SMTP reply is retryable', async () => {
    mode.rcpt = 451;
    expect(await failure(email())).toMatchObject({ retryable: true, reason: 'serverError' });
  });

  it('a 5xx SMTP reply is not retryable', async () => {
    mode.rcpt = 550;
    const e = await failure(email());
    expect(e).toMatchObject({ retryable: false, reason: 'clientError' });
    expectNoSecrets(e);
  });

  it('rejected credentials are not retried and the password never shows', async () => {
    mode.rcpt = 0;
    const e = await failure(email('bad'));
    expect(e).toMatchObject({ retryable: false, reason: 'clientError' });
    expectNoSecrets(e);
  });

  it('a refused connection is retryable', async () => {
    const e = await failure(email('good', await freePort()));
    expect(e).toMatchObject({ retryable: true, reason: 'connection' });
    expectNoSecrets(e);
  });
});
