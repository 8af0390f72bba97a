import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  const cases: Array<[string, string]> = [
    ['connect postgres://app:hunter2@db.internal:5432/app failed', 'hunter2'],
    ['redis://:s3cretpw@cache:6379/0 refused', 's3cretpw'],
    ['fetch https://admin:pa55word@example.com/x', 'pa55word'],
    ['host=db user=app password=hunter2 dbname=app', 'hunter2'],
    ["password='two words' host=x", 'two words'],
    ['{"password":"hunter2","user":"x"}', 'hunter2'],
    ['GET /cb?code=1&access_token=abc123def&x=1', 'abc123def'],
    ['Authorization: Bearer abcdef.ghijkl.mnopq', 'abcdef.ghijkl.mnopq'],
    ['api_key: ZXhhbXBsZWtleQ', 'ZXhhbXBsZWtleQ'],
    ['token xoxb-1234567890-abcdefghij leaked', 'xoxb-1234567890-abcdefghij'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3g here', 'eyJhbGciOiJIUzI1NiJ9'],
  ];
  for (const [input, secret] of cases) {
    it(`removes the secret from: ${input.slice(0, 40)}`, () => {
      const out = redactSecrets(input);
      expect(out).not.toContain(secret);
      expect(out).toContain('[REDACTED]');
    });
  }

  it('removes whole database connection strings including user and host', () => {
    const out = redactSecrets('error at postgresql://svc_user@10.1.2.3:5432/prod');
    expect(out).toBe('error at postgresql://[REDACTED]');
  });

  it('keeps ordinary text and plain URLs intact', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:5433 (see https://example.com/docs?page=2)';
    expect(redactSecrets(text)).toBe(text);
  });

  it('removes literal secrets passed in options and is idempotent', () => {
    const once = redactSecrets('auth failed for zebra-horse-42', { secrets: ['zebra-horse-42'] });
    expect(once).toBe('auth failed for [REDACTED]');
    expect(redactSecrets(once)).toBe(once);
  });

  it('covers prefixed and suffixed keys, quoted keys, session and cookie keys, and lower-case schemes', () => {
    expect(redactSecrets('DB_PASSWORD=hunter2 ok')).toBe('DB_PASSWORD=[REDACTED] ok');
    expect(redactSecrets('stripe_api_key_live: k-123 done')).toBe('stripe_api_key_live: [REDACTED] done');
    expect(redactSecrets("{'session_id': 'abc', cookie=sid-1}")).toBe("{'session_id': '[REDACTED]', cookie=[REDACTED]}");
    expect(redactSecrets('got bearer abcdef123456 back')).toBe('got bearer [REDACTED] back');
    expect(redactSecrets('authorization=abc123 next')).toBe('authorization=[REDACTED] next');
    expect(redactSecrets('Authorization: Bearer abcdef123456')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactSecrets('nothing secret here: status=200')).toBe('nothing secret here: status=200');
  });

  it('writes the marker it is given, and stays idempotent with it', () => {
    const text = 'connect postgres://app:pw1@db/app with password=hunter2 and token "x" {"api_key": "k-1"} seen abcdef99';
    const once = redactSecrets(text, { marker: '<redacted>', secrets: ['abcdef99'] });
    expect(once).toBe('connect postgres://<redacted> with password=<redacted> and token "x" {"api_key": "<redacted>"} seen <redacted>');
    expect(redactSecrets(once, { marker: '<redacted>' })).toBe(once);
    expect(once).not.toContain('[REDACTED]');
  });

  it('redacts deeply inside objects and arrays', () => {
    const out = redactDeep({ a: ['password=x1y2z3'], b: { c: 'redis://:pw@h:1' }, n: 3 });
    expect(JSON.stringify(out)).not.toMatch(/x1y2z3|:pw@/);
    expect(out.n).toBe(3);
  });
});
