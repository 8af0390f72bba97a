import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createExpositionParser, ExpositionParseError, parseExposition, type ExpositionFormat } from '@vigil/engine';

const VALID_TEXT = [
  '# HELP http_requests_total Total.\\n requests',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="post",code="200"} 1027 1395066363000',
  'http_requests_total{method="get",code="400",path="a\\"b\\\\c\\n"} 3',
  '# TYPE lat histogram',
  'lat_bucket{le="0.1"} 1',
  'lat_bucket{le="+Inf"} 2',
  'lat_sum 0.3',
  'lat_count 2',
  'weird{x="y"} -Inf -12',
  'nan NaN',
  '',
].join('\n');

const VALID_OM = [
  '# TYPE foo counter',
  '# HELP foo Help \\"quoted\\".',
  'foo_total{a="b"} 17.0 1520879607.789 # {trace_id="abc"} 0.67 1520879606.5',
  'foo_created{a="b"} 1520430000.123',
  '# TYPE g gauge',
  '# UNIT g_bytes bytes',
  'g 1e3',
  '# TYPE s stateset',
  's{s="a"} 1',
  '# EOF',
  '',
].join('\n');

/** Runs the parser; returns normally or with its own error, anything else fails the property. */
function parseSafely(body: string | Uint8Array, format: ExpositionFormat, chunk = 0): void {
  try {
    if (chunk <= 0) parseExposition(body, { format, limits: { maxSamples: 1000 } });
    else {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      const p = createExpositionParser({ onSample: () => undefined }, { format, limits: { maxSamples: 1000 } });
      for (let i = 0; i < bytes.length; i += chunk) p.write(bytes.subarray(i, i + chunk));
      p.end();
    }
  } catch (e) {
    if (!(e instanceof ExpositionParseError)) throw e;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(['VIGIL_ERR_EXPOSITION_PARSE', 'VIGIL_ERR_EXPOSITION_LIMIT']).toContain(e.code);
  }
}

const mutation = (base: string) =>
  fc
    .array(
      fc.tuple(
        fc.nat({ max: base.length }),
        fc.nat({ max: 6 }),
        fc.constantFrom('{', '}', '"', '\\', '\n', ' ', '#', '=', ',', '\r', '\t', 'e', '+', '-', '.', 'x', '\u00e9', '\ud83d', '\0'),
      ),
      { maxLength: 8 },
    )
    .map((edits) => {
      let s = base;
      for (const [pos, del, ins] of edits) {
        const p = Math.min(pos, s.length);
        s = s.slice(0, p) + ins + s.slice(p + del);
      }
      return s;
    });

describe('exposition parser fuzzing', () => {
  it('the valid seeds parse', () => {
    expect(parseExposition(VALID_TEXT).samples).toHaveLength(8);
    expect(parseExposition(VALID_OM, { format: 'openmetrics' }).samples).toHaveLength(3);
  });

  it('random strings: only ExpositionParseError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), fc.constantFrom<ExpositionFormat>('text', 'openmetrics'), (s, f) =>
        parseSafely(s, f),
      ),
      { numRuns: 800 },
    );
  });

  it('random bytes fed in random chunk sizes: only ExpositionParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 17 }), fc.constantFrom<ExpositionFormat>('text', 'openmetrics'), (b, c, f) =>
        parseSafely(b, f, c),
      ),
      { numRuns: 800 },
    );
  });

  it('mutated valid bodies, whole or chunked: only ExpositionParseError', () => {
    fc.assert(fc.property(mutation(VALID_TEXT), fc.integer({ min: 0, max: 9 }), (s, c) => parseSafely(s, 'text', c)), { numRuns: 1500 });
    fc.assert(fc.property(mutation(VALID_OM), fc.integer({ min: 0, max: 9 }), (s, c) => parseSafely(s, 'openmetrics', c)), { numRuns: 1500 });
  });

  it('line-structured random exposition: text and OpenMetrics', () => {
    const token = fc.constantFrom('a', 'b_total', 'c_bucket', '{', '}', 'le="1"', 'x="\\n"', ',', ' ', '1', 'NaN', '+Inf', '1e9', '#', 'TYPE', 'HELP', 'UNIT', 'EOF', 'counter', 'histogram', '"');
    const line = fc.array(token, { maxLength: 10 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom<ExpositionFormat>('text', 'openmetrics'), (lines, f) =>
        parseSafely(lines.join('\n') + '\n', f),
      ),
      { numRuns: 1500 },
    );
  });

  it('does not hang on pathological bodies (bounded by the line limit)', () => {
    const huge = '{'.repeat(200_000);
    parseSafely(huge, 'text');
    parseSafely('a{' + 'b="c",'.repeat(50_000) + '} 1\n', 'text');
    parseSafely('# HELP x ' + '\\'.repeat(60_000) + '\n', 'text');
  });
});
