import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createRequestContextStore } from './request-context.js';
import { formatMillis, requestLineWriterOf, REQUEST_LINE_LEVELS, type RequestLineWriter } from './request-line.js';

function rawDestination(): { lines: string[]; write(s: string): void } {
  const lines: string[] = [];
  return { lines, write: (s: string) => void lines.push(s) };
}

const TS = /"timestamp":"[^"]+"/;

interface Case {
  name: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  context: Record<string, unknown>;
  method: string;
  route: string;
  path: string;
  statusCode: number;
  durationMs: number;
  clientIp: string;
  userAgent: string | undefined;
  slowThresholdMs?: number;
  /** pino writes lone surrogates raw (invalid UTF-8 once encoded); the writer escapes them, so only the parsed lines agree. */
  parsedOnly?: boolean;
}

const base: Case = {
  name: 'plain',
  level: 'info',
  message: 'request completed',
  context: { request_id: '5b0c3e9e-0d7e-4a55-9a1c-2f0f4f3f6d11' },
  method: 'GET',
  route: '/users/:id',
  path: '/users/42',
  statusCode: 200,
  durationMs: 3.214,
  clientIp: '127.0.0.1',
  userAgent: 'autocannon',
};

const cases: Case[] = [
  base,
  { ...base, name: 'full context', context: { request_id: 'r-1', user_id: 'u-9', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) } },
  { ...base, name: 'no user agent', userAgent: undefined },
  { ...base, name: 'escapes', path: '/files/a"b\\c\n\u0001\u00e9\u2028', userAgent: 'Mozilla/5.0 "quoted"', route: '/files/*' },
  { ...base, name: 'lone surrogate', userAgent: 'broken \ud800 agent', parsedOnly: true },
  { ...base, name: 'secrets in path and user agent', path: '/reset/password=hunter2', userAgent: 'bot token=tok-123456 redis://:pw@cache:6379' },
  { ...base, name: 'slow', level: 'warn', message: 'slow request', durationMs: 2500.5, slowThresholdMs: 2000 },
  { ...base, name: 'failed', level: 'error', message: 'request failed', statusCode: 503, durationMs: 0 },
  { ...base, name: 'non-finite duration', durationMs: Number.NaN },
  { ...base, name: 'sensitive and numeric context keys', context: { request_id: 'r', token: 'tok-1', attempt: 2, internal: true, method: 'SHADOWED' } },
  { ...base, name: 'context string with a connection string', context: { request_id: 'r', user_id: 'postgres://app:hunter2@db/app' } },
  { ...base, name: 'unknown method, ipv6 client', method: '_OTHER', clientIp: '::1', route: '<unmatched>' },
];

function viaWriter(writer: RequestLineWriter, c: Case, generatedRequestId?: string): boolean {
  const request = { context: c.context, generatedRequestId, method: c.method, path: c.path, userAgent: c.userAgent };
  return writer.write(REQUEST_LINE_LEVELS[c.level], c.message, request, c.route, c.statusCode, c.durationMs, c.clientIp, c.slowThresholdMs, performance.now());
}

function viaPino(logger: ReturnType<typeof createLogger>, c: Case): void {
  const line: Record<string, unknown> = {
    ...c.context,
    method: c.method,
    route: c.route,
    path: c.path,
    status_code: c.statusCode,
    duration_ms: c.durationMs,
    client_ip: c.clientIp,
    user_agent: c.userAgent,
  };
  if (c.slowThresholdMs !== undefined) Object.assign(line, { slow: true, slow_threshold_ms: c.slowThresholdMs });
  logger[c.level](line, c.message);
}

describe('request line writer', () => {
  it.each(cases)('writes exactly the line pino writes: $name', (c) => {
    const dest = rawDestination();
    const logger = createLogger({ service: 'api "v2"', environment: 'production', destination: dest, level: 'info' });
    const writer = requestLineWriterOf(logger);
    expect(writer).toBeDefined();
    expect(viaWriter(writer!, c)).toBe(true);
    viaPino(logger, c);
    expect(dest.lines).toHaveLength(2);
    const [fast, slow] = dest.lines.map((l) => l.replace(TS, '"timestamp":"T"'));
    if (c.parsedOnly) {
      expect(JSON.parse(fast!)).toEqual(JSON.parse(slow!));
      expect(fast).toContain('\\ud800');
    } else {
      expect(fast).toBe(slow);
    }
    expect(() => JSON.parse(dest.lines[0]!)).not.toThrow();
    for (const secret of ['hunter2', 'tok-123456', 'tok-1"', ':pw@']) expect(dest.lines[0]).not.toContain(secret);
  });

  it('keeps writing what pino writes when one writer serves many different lines in turn (cached parts)', () => {
    const dest = rawDestination();
    const logger = createLogger({ service: 'api', environment: 'production', destination: dest, level: 'info' });
    const writer = requestLineWriterOf(logger)!;
    const plain = cases.filter((c) => !c.parsedOnly);
    // Each case twice, interleaved with the others, so every cached part is both created and reused next to other values.
    const sequence = [...plain, ...[...plain].reverse(), { ...base, method: 'POST' }, { ...base, statusCode: 201 }, { ...base, route: '/other' }];
    for (const c of sequence) {
      dest.lines.length = 0;
      expect(viaWriter(writer, c)).toBe(true);
      viaPino(logger, c);
      const [fast, slow] = dest.lines.map((l) => l.replace(TS, '"timestamp":"T"'));
      expect(fast, c.name).toBe(slow);
    }
  });

  it('respects the logger level at write time', () => {
    const dest = rawDestination();
    const logger = createLogger({ service: 's', environment: 'production', destination: dest, level: 'warn' });
    const writer = requestLineWriterOf(logger)!;
    expect(viaWriter(writer, base)).toBe(true);
    expect(dest.lines).toHaveLength(0);
    expect(viaWriter(writer, { ...base, level: 'error', message: 'request failed', statusCode: 500 })).toBe(true);
    expect(dest.lines).toHaveLength(1);
    logger.level = 'info';
    viaWriter(writer, base);
    expect(dest.lines).toHaveLength(2);
    // A child's level is its own: it does not change what the parent's writer lets through.
    logger.child({ component: 'x' }).level = 'error';
    viaWriter(writer, base);
    expect(dest.lines).toHaveLength(3);
    logger.level = 'silent';
    viaWriter(writer, { ...base, level: 'error', message: 'request failed', statusCode: 500 });
    expect(dest.lines).toHaveLength(3);
  });

  it('writes the generated request id as it is, and escapes any other request id', () => {
    const dest = rawDestination();
    const logger = createLogger({ service: 's', environment: 'production', destination: dest, level: 'info' });
    const writer = requestLineWriterOf(logger)!;
    const id = '5b0c3e9e-0d7e-4a55-9a1c-2f0f4f3f6d11';
    viaWriter(writer, { ...base, context: { request_id: id } }, id);
    expect(JSON.parse(dest.lines[0]!).request_id).toBe(id);
    // An incoming id is not the generated one: a quote in it is escaped, a credential pair scrubbed.
    viaWriter(writer, { ...base, context: { request_id: 'a"b' } }, id);
    expect(JSON.parse(dest.lines[1]!).request_id).toBe('a"b');
    viaWriter(writer, { ...base, context: { request_id: 'token=tok-999' } }, id);
    expect(dest.lines[2]).not.toContain('tok-999');
  });

  it('stamps the line with the wall-clock time of the monotonic reading it is given', () => {
    const dest = rawDestination();
    const writer = requestLineWriterOf(createLogger({ service: 's', environment: 'production', destination: dest, level: 'info' }))!;
    const request = { context: { request_id: 'r' }, generatedRequestId: undefined, method: 'GET', path: '/', userAgent: undefined };
    const before = Date.now();
    writer.write(30, 'request completed', request, '/', 200, 1, '::1', undefined, performance.now());
    const after = Date.now();
    // An hour ago in monotonic time is an hour ago on the wall clock.
    writer.write(30, 'request completed', request, '/', 200, 1, '::1', undefined, performance.now() - 3_600_000);
    const [now, hourAgo] = dest.lines.map((l) => Date.parse(JSON.parse(l).timestamp as string));
    expect(now).toBeGreaterThanOrEqual(before - 1);
    expect(now).toBeLessThanOrEqual(after + 1);
    expect(Math.abs(now! - 3_600_000 - hourAgo!)).toBeLessThanOrEqual(2);
  });

  it('declines context values that are not scalars, writing nothing', () => {
    const dest = rawDestination();
    const writer = requestLineWriterOf(createLogger({ service: 's', environment: 'production', destination: dest, level: 'info' }))!;
    expect(viaWriter(writer, { ...base, context: { request_id: 'r', tenant: { id: 1 } } })).toBe(false);
    expect(dest.lines).toHaveLength(0);
  });

  it('writes only the request context it is given, not the one active in the store', () => {
    const dest = rawDestination();
    const context = createRequestContextStore();
    const logger = createLogger({ service: 's', environment: 'production', destination: dest, level: 'info', context });
    context.run({ request_id: 'other', user_id: 'someone-else' }, () => viaWriter(requestLineWriterOf(logger)!, base));
    const line = JSON.parse(dest.lines[0]!) as Record<string, unknown>;
    expect(line.request_id).toBe(base.context.request_id);
    expect(line).not.toHaveProperty('user_id');
  });

  it('is not used for child loggers, extra pino options, redact paths on line fields or multistreams', () => {
    const dest = rawDestination();
    const logger = createLogger({ service: 's', environment: 'production', destination: dest });
    expect(requestLineWriterOf(logger)).toBeDefined();
    expect(requestLineWriterOf(logger.child({ component: 'http' }))).toBeUndefined();
    expect(requestLineWriterOf(createLogger({ service: 's', destination: dest, pino: { nestedKey: 'payload' } }))).toBeUndefined();
    expect(requestLineWriterOf(createLogger({ service: 's', destination: dest, redact: ['user_agent'] }))).toBeUndefined();
    expect(requestLineWriterOf(createLogger({ service: 's', destination: dest, redact: ['*.secret'] }))).toBeUndefined();
    expect(requestLineWriterOf(createLogger({ service: 's', destination: dest, redact: ['card.number'] }))).toBeDefined();
    expect(requestLineWriterOf(createLogger({ service: 's', destination: pino.multistream([{ stream: dest }]) }))).toBeUndefined();
    expect(requestLineWriterOf({ info() {} })).toBeUndefined();
  });
});

describe('formatMillis', () => {
  it('formats microsecond-rounded durations exactly as String()', () => {
    const samples = [0, 1, 0.001, 0.01, 0.1, 0.5, 1.23, 1.234, 12.3, 100, 2500.5, 0.123, 999.999, 1e6 + 0.007, 123456789.012];
    let x = 7;
    for (let i = 0; i < 20000; i++) {
      x = (x * 48271) % 2147483647;
      samples.push(Math.round((x / 2147483647) * 10 ** (i % 7) * 1000) / 1000);
    }
    for (const v of samples) expect(formatMillis(v)).toBe(String(v));
    for (const v of [Number.NaN, Infinity, -1.5, 1e20, 0.0001]) expect(formatMillis(v)).toBe(Number.isFinite(v) ? String(v) : 'null');
  });
});
