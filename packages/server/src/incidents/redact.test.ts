import { describe, expect, it } from 'vitest';
import { incidentLink } from './links.js';
import { excerpt, redactIncidentText } from './redact.js';
import { highestSeverity, normalizeSeverity } from './severity.js';

describe('incidents: helpers', () => {
  it('redacts URL credentials, bearer tokens, secret-looking pairs and known secrets', () => {
    expect(redactIncidentText('connect postgres://vigil:pw123@db:5432/x failed')).toBe('connect postgres://<redacted> failed');
    expect(redactIncidentText('GET https://bot:pw123@hooks.example/x')).toBe('GET https://bot:<redacted>@hooks.example/x');
    expect(redactIncidentText("{'session_id': 'abc', cookie=sid-1}")).toBe("{'session_id': '<redacted>', cookie=<redacted>}");
    expect(redactIncidentText('Authorization: Bearer abcdef123456')).not.toContain('abcdef123456');
    expect(redactIncidentText('got bearer abcdef123456 back')).toBe('got bearer <redacted> back');
    expect(redactIncidentText('curl -H "x" token=abc123 user=bob')).toBe('curl -H "x" token=<redacted> user=bob');
    expect(redactIncidentText('{"api_key": "k-123", "name": "n"}')).toBe('{"api_key": "<redacted>", "name": "n"}');
    expect(redactIncidentText('DB_PASSWORD=hunter2 ok')).toBe('DB_PASSWORD=<redacted> ok');
    expect(redactIncidentText('the value s3cr3t-value leaked', ['s3cr3t-value'])).toBe('the value <redacted> leaked');
    expect(redactIncidentText('nothing secret here: status=200')).toBe('nothing secret here: status=200');
  });

  it('bounds excerpts', () => {
    expect(excerpt('abcdef', 10)).toBe('abcdef');
    expect(excerpt('abcdef', 3)).toBe('abc… (3 more characters)');
  });

  it('builds dashboard links with an action parameter', () => {
    expect(incidentLink('https://vigil.example/', 'a b')).toBe('https://vigil.example/ui/#/incidents/a%20b');
    expect(incidentLink('https://vigil.example', 'x1', 'acknowledge')).toBe('https://vigil.example/ui/#/incidents/x1?action=acknowledge');
    expect(incidentLink('', 'x1', 'resolve')).toBe('/ui/#/incidents/x1?action=resolve');
  });

  it('maps severity labels and picks the highest', () => {
    expect(['critical', 'page', 'error', 'high', 'warning', 'warn', 'info', undefined, 'whatever'].map(normalizeSeverity)).toEqual(['critical', 'critical', 'high', 'high', 'warning', 'warning', 'info', 'info', 'info']);
    expect(highestSeverity(['warning', 'high', 'info'])).toBe('high');
    expect(highestSeverity([])).toBe('info');
  });
});
