import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it("equals Alertmanager's for the same label set, independent of key order", () => {
    // Values observed from Alertmanager 0.25 (GET /api/v2/alerts) in the forwarding interop test.
    expect(fingerprint({})).toBe('cbf29ce484222325');
    const a = fingerprint({ alertname: 'Forwarded', service: 'api', zone: 'eu-1' });
    expect(a).toBe(fingerprint({ zone: 'eu-1', service: 'api', alertname: 'Forwarded' }));
    expect(a).toBe('9f991d2030b61423');
    expect(fingerprint({ a: 'b' })).not.toBe(fingerprint({ a: 'c' }));
    expect(fingerprint({ name: 'ünïcode' })).not.toBe(fingerprint({ name: 'unicode' }));
  });
});
