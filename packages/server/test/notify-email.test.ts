/**
 * Email receiver against a real SMTP server (smtp-server on port 0) that captures the message:
 * envelope, headers (default Subject like Alertmanager's, custom headers), HTML and text bodies,
 * authentication, and global smtp_* defaults.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrations, createNotificationTemplates, parseReceiverIntegrations } from '../src/notify/index.js';
import { sampleData } from './notify-support.js';

interface Captured {
  from: string;
  to: string[];
  raw: string;
  user?: string;
}

const received: Captured[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _s, cb) {
      if (auth.username === 'alerts@company.com' && auth.password === 'smtp_password') return cb(null, { user: auth.username });
      cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          ...(session.user ? { user: String(session.user) } : {}),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Minimal MIME reader: top-level headers (unfolded) and decoded text/plain and text/html parts. */
function parseMime(raw: string): { headers: Record<string, string>; text?: string; html?: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head!.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const decode = (h: string, b: string): string => {
    if (/quoted-printable/i.test(h)) return b.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, x: string) => String.fromCharCode(parseInt(x, 16)));
    if (/base64/i.test(h)) return Buffer.from(b.replace(/\s+/g, ''), 'base64').toString('utf8');
    return b;
  };
  const out: { headers: Record<string, string>; text?: string; html?: string } = { headers };
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [`${head}\r\n\r\n${body}`];
  for (const p of parts) {
    const [ph, ...pb] = p.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const content = decode(ph!, pb.join('\r\n\r\n')).replace(/\r\n/g, '\n').replace(/\n$/, '');
    if (/text\/html/i.test(ph!)) out.html = content;
    else if (/text\/plain/i.test(ph!)) out.text = content;
  }
  return out;
}

function build(emailConfig: Record<string, unknown>, global: Record<string, unknown> = {}) {
  const r = parseReceiverIntegrations({ name: 'team-api', email_configs: [emailConfig] }, global, { file: 'am.yml' });
  return createIntegrations(r, { externalURL: 'http://vigil.local:9093', templates: createNotificationTemplates(), clock: { now: () => Date.parse('2026-01-01T00:01:00Z') } })[0]!;
}

describe('email', () => {
  it('sends with global smtp_* defaults: envelope, auth, default subject and HTML body', async () => {
    received.length = 0;
    const mail = build(
      { to: 'oncall@company.com, Ops Team <ops@company.com>' },
      { smtp_smarthost: `127.0.0.1:${port}`, smtp_from: 'Vigil <alerts@company.com>', smtp_auth_username: 'alerts@company.com', smtp_auth_password: 'smtp_password', smtp_require_tls: false },
    );
    await mail.notify(sampleData());
    expect(received).toHaveLength(1);
    const m = received[0]!;
    expect(m.user).toBe('alerts@company.com');
    expect(m.from).toBe('alerts@company.com');
    expect(m.to).toEqual(['oncall@company.com', 'ops@company.com']);
    const mime = parseMime(m.raw);
    expect(mime.headers.subject).toBe('[FIRING:2] HighErrorRate (api critical)');
    expect(mime.headers.from).toBe('Vigil <alerts@company.com>');
    expect(mime.headers.to).toBe('oncall@company.com, Ops Team <ops@company.com>');
    expect(mime.headers.date).toBe('Thu, 01 Jan 2026 00:01:00 +0000');
    expect(mime.html).toContain('<title>[FIRING:2] HighErrorRate (api critical)</title>');
    expect(mime.html).toContain('2 alerts for alertname=HighErrorRate');
    expect(mime.html).toContain('<div>instance = api-2</div>');
    expect(mime.html).toContain('href="http://vigil.local:9093/#/alerts?receiver=team-api"');
    expect(mime.text).toBeUndefined();
  });

  it('renders custom headers and a text body, and escapes alert values in the HTML body', async () => {
    received.length = 0;
    const mail = build({
      to: 'devops@company.com',
      from: 'alerts@company.com',
      smarthost: `127.0.0.1:${port}`,
      require_tls: false,
      headers: { subject: 'WARNING: {{ .GroupLabels.alertname }}', 'X-Team': '{{ .CommonLabels.service }}' },
      html: '<p>{{ .CommonAnnotations.summary }}</p>',
      text: '{{ range .Alerts }}Alert: {{ .Annotations.summary }}\nDescription: {{ .Annotations.description }}\n{{ end }}',
    });
    await mail.notify(sampleData({ commonAnnotations: { summary: 'Error rate > 5% <b>now</b>' } }));
    const mime = parseMime(received[0]!.raw);
    expect(received[0]!.user).toBeUndefined();
    expect(mime.headers.subject).toBe('WARNING: HighErrorRate');
    expect(mime.headers['x-team']).toBe('api');
    expect(mime.html).toBe('<p>Error rate &gt; 5% &lt;b&gt;now&lt;/b&gt;</p>');
    expect(mime.text).toBe('Alert: Error rate above 5%\nDescription: api-1 returns 7% 5xx\nAlert: Error rate above 5%\nDescription: api-2 returns 9% 5xx\n');
  });
});
