import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { receiversFromYaml } from '../../test/notify-support.js';
import { parseReceiverIntegrations } from './parse-receiver.js';
import type { EmailIntegrationConfig, PagerDutyIntegrationConfig, SlackIntegrationConfig, WebhookIntegrationConfig } from './receiver-config.js';

function parse(yaml: string, index = 0) {
  const { global, receivers } = receiversFromYaml(yaml, 'am.yml');
  return parseReceiverIntegrations(receivers[index]!.raw, global, receivers[index]!.source);
}

function parseError(yaml: string): Error & { code?: string } {
  try {
    parse(yaml);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('parseReceiverIntegrations', () => {
  it('applies Alertmanager defaults so a receiver needs only its URL', () => {
    const r = parse(`
receivers:
  - name: hook
    webhook_configs: [{ url: 'http://127.0.0.1:5001/' }]
    slack_configs: [{ api_url: 'https://hooks.slack.com/services/T/B/X' }]
    pagerduty_configs: [{ routing_key: 'k' }]
`);
    expect(r.name).toBe('hook');
    const [w, s, p] = r.configs as [WebhookIntegrationConfig, SlackIntegrationConfig, PagerDutyIntegrationConfig];
    expect(w).toMatchObject({ type: 'webhook', index: 0, sendResolved: true, maxAlerts: 0 });
    expect(w.url?.reveal()).toBe('http://127.0.0.1:5001/');
    expect(s).toMatchObject({ type: 'slack', sendResolved: false, title: '{{ template "slack.default.title" . }}', mrkdwnIn: ['fallback', 'pretext', 'text'] });
    expect(p).toMatchObject({ type: 'pagerduty', sendResolved: true, url: 'https://events.pagerduty.com/v2/enqueue', severity: 'error' });
    expect(Object.keys(p.details).sort()).toEqual(['firing', 'num_firing', 'num_resolved', 'resolved']);
    expect(p.source).toBe(p.client);
  });

  it('inherits global smtp_*, slack_api_url and pagerduty_url', () => {
    const r = parse(`
global:
  smtp_smarthost: 'mail.local:2525'
  smtp_from: 'Vigil <vigil@company.com>'
  smtp_auth_username: u
  smtp_auth_password: p4ssw0rd
  smtp_require_tls: false
  slack_api_url: 'https://hooks.slack.com/services/T/B/GLOBAL'
  pagerduty_url: 'http://127.0.0.1:9/enqueue'
receivers:
  - name: r
    email_configs: [{ to: 'ops@company.com' }]
    slack_configs: [{ channel: '#a' }]
    pagerduty_configs: [{ routing_key: 'k' }]
`);
    const [s, p, e] = r.configs as [SlackIntegrationConfig, PagerDutyIntegrationConfig, EmailIntegrationConfig];
    expect(e).toMatchObject({ smarthost: { host: 'mail.local', port: 2525 }, from: 'Vigil <vigil@company.com>', authUsername: 'u', requireTLS: false, hello: 'localhost', sendResolved: false });
    expect(e.authPassword?.reveal()).toBe('p4ssw0rd');
    expect(s.apiURL?.reveal()).toBe('https://hooks.slack.com/services/T/B/GLOBAL');
    expect(p.url).toBe('http://127.0.0.1:9/enqueue');
  });

  it('names file, line, column and field for an unknown field', () => {
    const e = parseError(`
receivers:
  - name: hook
    webhook_configs:
      - url: 'http://x.local/'
        retries: 3
`);
    expect(e.code).toBe('VIGIL_ERR_RECEIVER_INVALID');
    expect(e.message).toBe('am.yml:6:9: webhook_configs[0].retries: field retries not found in type config.WebhookConfig');
  });

  it.each([
    ['url and url_file together', `webhook_configs: [{ url: 'http://a.b/', url_file: /x }]`, /at most one of url & url_file/],
    ['a bad email address', `email_configs: [{ to: 'not an address', from: 'a@b.c', smarthost: 'h:25' }]`, /email_configs\[0\]\.to: invalid email address/],
    ['a smarthost without port', `email_configs: [{ to: 'a@b.c', from: 'a@b.c', smarthost: 'mail.local' }]`, /missing port/],
    ['an unsupported integration', `opsgenie_configs: [{ api_key: x }]`, /opsgenie_configs is not supported by Vigil/],
    ['an unknown console format', `console_configs: [{ format: yaml }]`, /format must be "text" or "json"/],
    ['two auth methods in http_config', `webhook_configs: [{ url: 'http://a.b/', http_config: { bearer_token: t, basic_auth: { username: u } } }]`, /at most one of basic_auth/],
    ['a Slack field without value', `slack_configs: [{ api_url: 'https://a.b/', fields: [{ title: t }] }]`, /missing value in Slack field/],
  ])('rejects %s', (_what, body, msg) => {
    expect(parseError(`receivers:\n  - name: r\n    ${body}\n`).message).toMatch(msg);
  });

  it('never shows a secret in errors, redacted(), JSON or inspect', () => {
    const r = parse(`
global:
  smtp_smarthost: 'h:25'
  smtp_from: 'a@b.c'
receivers:
  - name: r
    webhook_configs: [{ url: 'https://hooks.local/T0K3N-webhook', http_config: { authorization: { credentials: BEARER-SECRET } } }]
    slack_configs: [{ api_url: 'https://hooks.slack.com/services/T/B/SLACK-SECRET' }]
    pagerduty_configs: [{ routing_key: PD-SECRET }]
    email_configs: [{ to: 'o@b.c', auth_username: u, auth_password: SMTP-SECRET }]
    msteamsv2_configs: [{ webhook_url: 'https://prod.workflows.local/TEAMS-SECRET' }]
`);
    const views = [JSON.stringify(r.redacted()), JSON.stringify(r.configs), inspect(r.configs, { depth: 10 })];
    for (const v of views) {
      for (const s of ['T0K3N', 'BEARER-SECRET', 'SLACK-SECRET', 'PD-SECRET', 'SMTP-SECRET', 'TEAMS-SECRET']) expect(v).not.toContain(s);
      expect(v).toContain('<secret>');
    }
    const red = r.redacted() as { webhook_configs: { url: string; send_resolved: boolean }[]; email_configs: { smarthost: string }[] };
    expect(red.webhook_configs[0]).toMatchObject({ url: '<secret>', send_resolved: true });
    expect(red.email_configs[0]!.smarthost).toBe('h:25');
    const bad = parseError(`receivers:\n  - name: r\n    webhook_configs: [{ url: 'gopher://SECRET-TOKEN@x/' }]\n`);
    expect(bad.message).not.toContain('SECRET-TOKEN');
  });

  it('accepts Vigil-only msteams, msteamsv2 and console receivers', () => {
    const r = parse(`
receivers:
  - name: dev
    msteams_configs: [{ webhook_url: 'https://outlook.office.com/webhook/x' }]
    msteamsv2_configs: [{ webhook_url: 'https://prod.westus.logic.azure.com/workflows/x', title: 'T' }]
    console_configs: [{}, { format: json, send_resolved: false }]
`);
    expect(r.configs.map((c) => `${c.type}:${c.index}:${c.sendResolved}`)).toEqual(['msteams:0:true', 'msteamsv2:0:true', 'console:0:true', 'console:1:false']);
  });
});
