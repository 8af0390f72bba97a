/**
 * Slack, PagerDuty, Microsoft Teams and console receivers with the real template engine and the
 * built-in defaults, against local HTTP servers on port 0: asserts exactly what is sent.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrations, createNotificationTemplates, parseReceiverIntegrations, type Integration } from '../src/notify/index.js';
import { alert, sampleData, startCaptureServer, type CaptureServer } from './notify-support.js';

let srv: CaptureServer;
beforeAll(async () => {
  srv = await startCaptureServer();
});
afterAll(() => srv.close());

const SUBJECT = '[FIRING:2] HighErrorRate (api critical)';
const LINK = 'http://vigil.local:9093/#/alerts?receiver=team-api';

function build(receiver: Record<string, unknown>, global: Record<string, unknown> = {}, write?: (l: string) => void): Integration[] {
  const r = parseReceiverIntegrations({ name: 'team-api', ...receiver }, global, { file: 'am.yml' });
  return createIntegrations(r, { externalURL: 'http://ignored.local', templates: createNotificationTemplates(), ...(write ? { write } : {}) });
}

async function sendAndCapture(i: Integration, data = sampleData()): Promise<unknown> {
  const before = srv.requests.length;
  await i.notify(data);
  expect(srv.requests.length).toBe(before + 1);
  return srv.requests.at(-1)!.json();
}

const resolvedData = () =>
  sampleData({ status: 'resolved', alerts: sampleData().alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: '2026-01-01T00:10:00Z' })) });

describe('slack', () => {
  it('needs only the URL: default title, link, fallback, username and severity color', async () => {
    const [slack] = build({ slack_configs: [{}] }, { slack_api_url: `${srv.url}/services/T/B/X` });
    expect(await sendAndCapture(slack!)).toEqual({
      username: 'Vigil',
      attachments: [
        {
          title: SUBJECT,
          title_link: LINK,
          text: '',
          fallback: `${SUBJECT} | ${LINK}`,
          callback_id: '',
          footer: '',
          color: 'danger',
          mrkdwn_in: ['fallback', 'pretext', 'text'],
        },
      ],
    });
    expect(srv.requests.at(-1)!.path).toBe('/services/T/B/X');
  });

  it('colors warning and resolved like guides 003/004 and renders user templates, fields and actions', async () => {
    const [slack] = build({
      slack_configs: [
        {
          api_url: `${srv.url}/s`,
          channel: '#voiceassist-alerts',
          username: 'AlertManager',
          title: 'WARNING: {{ .GroupLabels.alertname }}',
          text: "{{ range .Alerts }}{{ .Annotations.description }}\n{{ end }}*Severity:* {{ .CommonLabels.severity | toUpper }}",
          fields: [{ title: 'Service', value: '{{ .CommonLabels.service }}', short: true }],
          actions: [{ type: 'button', text: 'Runbook', url: 'https://runbooks.local/{{ .GroupLabels.alertname | toLower }}' }],
          send_resolved: true,
        },
      ],
    });
    const warn = sampleData({ commonLabels: { alertname: 'HighErrorRate', severity: 'warning', service: 'api' } });
    const body = (await sendAndCapture(slack!, warn)) as { channel: string; username: string; attachments: Record<string, unknown>[] };
    expect(body.channel).toBe('#voiceassist-alerts');
    expect(body.username).toBe('AlertManager');
    expect(body.attachments[0]).toMatchObject({
      title: 'WARNING: HighErrorRate',
      text: 'api-1 returns 7% 5xx\napi-2 returns 9% 5xx\n*Severity:* WARNING',
      color: 'warning',
      fields: [{ title: 'Service', value: 'api', short: true }],
      actions: [{ type: 'button', text: 'Runbook', url: 'https://runbooks.local/higherrorrate' }],
    });
    const res = (await sendAndCapture(slack!, resolvedData())) as { attachments: { color: string; title: string }[] };
    expect(res.attachments[0]!.color).toBe('good');
  });
});

describe('pagerduty', () => {
  const dedup = createHash('sha256').update('{}:{alertname="HighErrorRate"}').digest('hex');

  it('triggers an Events API v2 event keyed by the hashed group key, with default summary and details', async () => {
    const [pd] = build({ pagerduty_configs: [{ routing_key: 'R0UT1NG', url: `${srv.url}/v2/enqueue` }] });
    const body = (await sendAndCapture(pd!)) as Record<string, unknown> & { payload: { custom_details: Record<string, string> } };
    expect(body.routing_key).toBe('R0UT1NG');
    expect(body.event_action).toBe('trigger');
    expect(body.dedup_key).toBe(dedup);
    expect(body.client).toBe('Vigil');
    expect(body.client_url).toBe(LINK);
    expect(body.payload).toMatchObject({ summary: SUBJECT, source: 'Vigil', severity: 'error' });
    expect(body.payload.custom_details.num_firing).toBe('2');
    expect(body.payload.custom_details.num_resolved).toBe('0');
    expect(body.payload.custom_details.resolved).toBe('');
    expect(body.payload.custom_details.firing).toBe(
      'Labels:\n - alertname = HighErrorRate\n - instance = api-1\n - service = api\n - severity = critical\n' +
        'Annotations:\n - description = api-1 returns 7% 5xx\n - summary = Error rate above 5%\nSource: http://prometheus.local/graph?g0.expr=up\n' +
        'Labels:\n - alertname = HighErrorRate\n - instance = api-2\n - service = api\n - severity = critical\n' +
        'Annotations:\n - description = api-2 returns 9% 5xx\n - summary = Error rate above 5%\nSource: http://prometheus.local/graph?g0.expr=up\n',
    );
  });

  it('resolves the same dedup key, with templated severity, links, images and custom details', async () => {
    const [pd] = build({
      pagerduty_configs: [
        {
          routing_key: 'R0UT1NG',
          url: `${srv.url}/v2/enqueue`,
          severity: '{{ if eq .CommonLabels.severity "critical" }}critical{{ else }}warning{{ end }}',
          description: '{{ .GroupLabels.alertname }}: {{ .CommonAnnotations.summary }}',
          details: { team: '{{ .CommonLabels.service }}' },
          links: [{ href: 'https://grafana.local/d/{{ .CommonLabels.service }}', text: 'Dashboard' }, { href: '', text: 'dropped' }],
          images: [{ src: 'https://grafana.local/render.png', alt: 'graph', href: 'https://grafana.local' }],
          class: 'errors',
          component: '{{ .CommonLabels.service }}',
        },
      ],
    });
    const trig = (await sendAndCapture(pd!)) as Record<string, unknown> & { payload: Record<string, unknown> & { custom_details: Record<string, string> } };
    expect(trig.payload).toMatchObject({ summary: 'HighErrorRate: Error rate above 5%', severity: 'critical', class: 'errors', component: 'api' });
    expect(trig.payload.custom_details.team).toBe('api');
    expect(trig.links).toEqual([{ href: 'https://grafana.local/d/api', text: 'Dashboard' }]);
    expect(trig.images).toEqual([{ src: 'https://grafana.local/render.png', alt: 'graph', href: 'https://grafana.local' }]);
    const res = (await sendAndCapture(pd!, resolvedData())) as Record<string, unknown>;
    expect(res.event_action).toBe('resolve');
    expect(res.dedup_key).toBe(dedup);
  });

  it("drops custom details from an event over PagerDuty's 512 KB limit", async () => {
    const [pd] = build({ pagerduty_configs: [{ routing_key: 'R', url: `${srv.url}/v2/enqueue`, details: { big: '{{ .CommonAnnotations.huge }}' } }] });
    const body = (await sendAndCapture(pd!, sampleData({ commonAnnotations: { huge: 'x'.repeat(600_000) } }))) as { payload: { custom_details: Record<string, string> } };
    expect(Object.keys(body.payload.custom_details)).toEqual(['error']);
    expect(srv.requests.at(-1)!.body.length).toBeLessThan(512_000);
  });

  it('uses the v1 API with only a service_key', async () => {
    const [pd] = build({ pagerduty_configs: [{ service_key: 'SVC', url: `${srv.url}/generic` }] });
    const body = (await sendAndCapture(pd!)) as Record<string, unknown>;
    expect(body).toMatchObject({ service_key: 'SVC', event_type: 'trigger', incident_key: dedup, description: SUBJECT, client: 'Vigil' });
  });
});

describe('microsoft teams', () => {
  it('posts an Adaptive Card to a Workflows webhook', async () => {
    const [teams] = build({ msteamsv2_configs: [{ webhook_url: `${srv.url}/workflows/x?sig=abc` }] });
    srv.script({ status: 202 });
    const body = (await sendAndCapture(teams!)) as { type: string; attachments: { contentType: string; content: { type: string; body: { text: string; color?: string }[]; actions: { url: string }[] } }[] };
    expect(body.type).toBe('message');
    const card = body.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[0]).toMatchObject({ text: SUBJECT, color: 'Attention', weight: 'Bolder' });
    expect(card.content.body[1]!.text).toContain('# Alerts Firing:');
    expect(card.content.body[1]!.text).toContain('  - instance = api-2');
    expect(card.content.actions[0]!.url).toBe(LINK);
    const res = (await sendAndCapture(teams!, resolvedData())) as typeof body;
    expect(res.attachments[0]!.content.body[0]).toMatchObject({ text: '[RESOLVED] HighErrorRate (api critical)', color: 'Good' });
  });

  it('posts a MessageCard for msteams_configs', async () => {
    const [teams] = build({ msteams_configs: [{ webhook_url: `${srv.url}/webhookb2/x`, title: '{{ .Status | title }}: {{ .GroupLabels.alertname }}' }] });
    const body = (await sendAndCapture(teams!)) as Record<string, string>;
    expect(body).toMatchObject({ '@context': 'http://schema.org/extensions', type: 'MessageCard', title: 'Firing: HighErrorRate', summary: SUBJECT, themeColor: '8C1A1A' });
    expect(body.text).toContain('# Alerts Firing:');
  });
});

describe('console', () => {
  it('prints a readable block, or the webhook JSON', async () => {
    const lines: string[] = [];
    const [text, json] = build({ console_configs: [{}, { format: 'json' }] }, {}, (l) => lines.push(l));
    await text!.notify(sampleData({ alerts: [alert({ labels: { alertname: 'HighErrorRate', instance: 'api-1' }, annotations: { summary: 'Error rate above 5%' } })] }));
    await json!.notify(sampleData());
    expect(lines[0]).toBe('[FIRING:1] receiver=team-api alertname="HighErrorRate"\n  - firing alertname="HighErrorRate" instance="api-1"\n      summary: Error rate above 5%');
    expect(JSON.parse(lines[1]!)).toMatchObject({ version: '4', receiver: 'team-api', status: 'firing' });
  });
});

describe('templates', () => {
  it('renders AM functions and user-defined templates from templates: files', () => {
    const t = createNotificationTemplates({
      files: [{ name: 'custom.tmpl', text: '{{ define "my.title" }}{{ .CommonLabels.service | toUpper }}/{{ .Receiver }}{{ end }}' }],
    });
    const d = sampleData();
    expect(t.text('{{ template "my.title" . }}', d)).toBe('API/team-api');
    expect(t.text('{{ join "," (stringSlice "a" "b") }}', d)).toBe('a,b');
    expect(t.text('{{ reReplaceAll "api-(\\\\d)" "node$1" "api-7" }}', d)).toBe('node7');
    expect(t.text('{{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }}{{ end }}', d)).toBe('alertname=HighErrorRate');
    expect(t.text('{{ len .Alerts.Resolved }}/{{ len .Alerts }}', d)).toBe('0/2');
    expect(t.html('<b>{{ .CommonAnnotations.x }}</b>{{ "<i>ok</i>" | safeHtml }}', sampleData({ commonAnnotations: { x: '<script>' } }))).toBe('<b>&lt;script&gt;</b><i>ok</i>');
    expect(() => t.text('{{ template "missing" . }}', d)).toThrow();
  });

  it('fails a notification with a broken template without retry and without sending', async () => {
    const [slack] = build({ slack_configs: [{ api_url: `${srv.url}/broken`, title: '{{ template "nope" . }}' }] });
    const before = srv.requests.length;
    await expect(slack!.notify(sampleData())).rejects.toMatchObject({ code: 'VIGIL_ERR_NOTIFY_TEMPLATE', retryable: false, reason: 'other' });
    expect(srv.requests.length).toBe(before);
  });
});
