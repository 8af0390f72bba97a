import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readObservedHeaders, type ObservedHeaderValues } from './raw-headers.js';

const empty = (): ObservedHeaderValues => ({ requestId: undefined, userAgent: undefined, contentLength: undefined, forwardedFor: undefined });

describe('readObservedHeaders', () => {
  it('finds the four headers in any letter case and leaves absent ones undefined', () => {
    const out = empty();
    readObservedHeaders(['Host', 'x', 'X-Request-ID', 'abc', 'USER-AGENT', 'curl/8', 'Content-Length', '12', 'x-forwarded-for', '1.2.3.4'], 'x-request-id', out);
    expect(out).toEqual({ requestId: 'abc', userAgent: 'curl/8', contentLength: '12', forwardedFor: '1.2.3.4' });
    readObservedHeaders(['Host', 'x'], 'x-request-id', out);
    expect(out).toEqual(empty());
  });

  it('honours a custom request id header, even one as long as a header it also reads', () => {
    const out = empty();
    readObservedHeaders(['X-Trace-Tokenid', 't-1', 'X-Forwarded-For', '5.6.7.8'], 'x-trace-tokenid', out);
    expect(out.requestId).toBe('t-1');
    expect(out.forwardedFor).toBe('5.6.7.8');
  });

  it('agrees with the headers object Node builds for the same request, repeated headers included', async () => {
    const seen: { raw: string[]; headers: http.IncomingHttpHeaders }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ raw: req.rawHeaders, headers: req.headers });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const rawRequest = [
      'POST / HTTP/1.1',
      'Host: 127.0.0.1',
      'User-Agent: first/1',
      'user-agent: second/2',
      'X-Forwarded-For: 10.0.0.1',
      'x-forwarded-for: 10.0.0.2, 10.0.0.3',
      'X-Request-Id: one',
      'Content-Length: 2',
      'Connection: close',
      '',
      'hi',
    ].join('\r\n');
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(rawRequest));
      socket.on('close', () => resolve());
      socket.on('error', reject);
      socket.resume();
    });
    await new Promise<void>((r) => server.close(() => r()));
    const [{ raw, headers }] = seen as [(typeof seen)[0]];
    const out = empty();
    readObservedHeaders(raw, 'x-request-id', out);
    expect(out).toEqual({
      requestId: headers['x-request-id'],
      userAgent: headers['user-agent'],
      contentLength: headers['content-length'],
      forwardedFor: headers['x-forwarded-for'],
    });
    expect(out.forwardedFor).toBe('10.0.0.1, 10.0.0.2, 10.0.0.3');
    expect(out.userAgent).toBe('first/1');
  });
});
