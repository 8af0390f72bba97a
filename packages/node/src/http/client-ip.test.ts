import { describe, expect, it } from 'vitest';
import { createClientIpResolver } from './client-ip.js';

describe('createClientIpResolver', () => {
  it('ignores X-Forwarded-For without trusted proxies', () => {
    const ip = createClientIpResolver();
    expect(ip('::ffff:192.0.2.1', '203.0.113.9')).toBe('192.0.2.1');
    expect(ip(undefined, undefined)).toBe('unknown');
  });

  it('walks X-Forwarded-For from the right through trusted proxies only', () => {
    const ip = createClientIpResolver({ trustedProxies: ['10.0.0.0/8', '::1'] });
    expect(ip('10.1.2.3', '198.51.100.1, 203.0.113.9, 10.0.0.5')).toBe('203.0.113.9');
    expect(ip('::1', '2001:db8::1')).toBe('2001:db8::1');
    // The socket peer is not a trusted proxy: the header is not believed.
    expect(ip('192.0.2.7', '203.0.113.9')).toBe('192.0.2.7');
    // Garbage in the chain stops the walk at the socket address.
    expect(ip('10.0.0.1', 'not-an-ip')).toBe('10.0.0.1');
    // Every hop trusted: the leftmost one is the client.
    expect(ip('10.0.0.1', '10.0.0.2, 10.0.0.3')).toBe('10.0.0.2');
  });

  it('supports the loopback and private keywords and IPv6 ranges', () => {
    const ip = createClientIpResolver({ trustedProxies: ['loopback', 'private', '2001:db8::/32'] });
    expect(ip('127.0.0.1', '192.168.1.1, 8.8.8.8')).toBe('8.8.8.8');
    expect(ip('2001:db8:1::2', '8.8.4.4')).toBe('8.8.4.4');
    expect(ip('2001:db9::2', '8.8.4.4')).toBe('2001:db9::2');
  });

  it('rejects bad proxy specs', () => {
    expect(() => createClientIpResolver({ trustedProxies: ['nope'] })).toThrow(/trustedProxies/);
    expect(() => createClientIpResolver({ trustedProxies: ['10.0.0.0/40'] })).toThrow(/prefix/);
  });
});
