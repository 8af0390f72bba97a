import { describe, expect, it } from 'vitest';
import { createExpositionParser, detectExpositionFormat, parseExposition } from './parser.js';
import { ExpositionParseError } from './errors.js';
import type { ParsedSample } from './types.js';

function err(fn: () => unknown): ExpositionParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ExpositionParseError);
    return e as ExpositionParseError;
  }
  throw new Error('expected an ExpositionParseError');
}

describe('parseExposition (text 0.0.4)', () => {
  it('parses HELP, TYPE, labels with escapes, special floats and timestamps', () => {
    const body = [
      '# HELP http_requests_total Total requests.\\nSecond line with \\\\ backslash',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400",} 3 1395066363000',
      '',
      '# a plain comment',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'metric_without_timestamp_and_labels 12.47',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '  spaced_out   {  a = "b" }   -Inf  ',
      'nan_metric NaN',
      '# TYPE rpc_duration_seconds summary',
      'rpc_duration_seconds{quantile="0.5"} 4773',
      'rpc_duration_seconds_sum 1.7560473e+07',
      'rpc_duration_seconds_count 2693',
      '',
    ].join('\n');
    const { samples, metadata } = parseExposition(body);
    expect(samples).toHaveLength(10);
    expect(samples[0]).toEqual({
      name: 'http_requests_total',
      labels: { __name__: 'http_requests_total', method: 'post', code: '200' },
      seriesText: 'http_requests_total{method="post",code="200"}',
      value: 1027,
      timestamp: 1395066363000,
      family: 'http_requests_total',
      type: 'counter',
    });
    expect(samples[2]!.labels).toEqual({
      __name__: 'msdos_file_access_time_seconds',
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    expect(samples[4]!.value).toBe(Infinity);
    expect(samples[4]!.timestamp).toBe(-3982045);
    expect(samples[5]!.labels).toEqual({ __name__: 'spaced_out', a: 'b' });
    expect(samples[5]!.value).toBe(-Infinity);
    expect(samples[6]!.value).toBeNaN();
    expect(samples[8]).toMatchObject({ family: 'rpc_duration_seconds', type: 'summary' });
    expect(metadata[0]).toEqual({
      family: 'http_requests_total',
      type: 'counter',
      help: 'Total requests.\nSecond line with \\ backslash',
    });
  });

  it('reports line, column and what was expected', () => {
    let e = err(() => parseExposition('ok 1\nbad{a="b" 1\n'));
    expect(e.code).toBe('VIGIL_ERR_EXPOSITION_PARSE');
    expect([e.line, e.column]).toEqual([2, 11]);
    expect(e.message).toMatch(/^2:11: parse error: "," or "}"/);
    e = err(() => parseExposition('x{a="b"} one\n'));
    expect([e.line, e.column, e.expected]).toEqual([1, 10, 'sample value (a float, NaN, +Inf or -Inf)']);
    e = err(() => parseExposition('x{a="b\\q"} 1\n'));
    expect(e.expected).toMatch(/escape/);
    e = err(() => parseExposition('x{a="1",a="2"} 1\n'));
    expect(e.expected).toMatch(/duplicate "a"/);
    e = err(() => parseExposition('# TYPE x histogramz\n'));
    expect(e.expected).toMatch(/metric type/);
    e = err(() => parseExposition('x 1 1.5\n'));
    expect(e.expected).toMatch(/integer milliseconds/);
  });

  it('enforces limits with VIGIL_ERR_EXPOSITION_LIMIT', () => {
    const limit = (body: string, limits: object) => err(() => parseExposition(body, { limits })).code;
    expect(limit('a 1\nb 2\nc 3\n', { maxSamples: 2 })).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
    expect(limit('a{b="1",c="2"} 1\n', { maxLabels: 2 })).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
    expect(limit('a{bbbb="1"} 1\n', { maxLabelNameLength: 3 })).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
    expect(limit('a{b="1234"} 1\n', { maxLabelValueLength: 3 })).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
    expect(limit('a{b="1234"} 1\n', { maxLineLength: 8 })).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
    // a line that never ends is refused before the whole body is buffered
    const p = createExpositionParser({ onSample: () => undefined }, { limits: { maxLineLength: 100 } });
    const e = err(() => {
      for (let i = 0; i < 1000; i++) p.write('aaaaaaaaaa');
    });
    expect(e.code).toBe('VIGIL_ERR_EXPOSITION_LIMIT');
  });

  it('streams: any chunking of the bytes (even inside a UTF-8 character) gives the same samples', () => {
    const body = '# TYPE t gauge\nt{city="Zürich ✓"} 1\nt{city="東京"} 2 1000\nu 3\n';
    const whole = parseExposition(body).samples;
    const bytes = new TextEncoder().encode(body);
    for (let size = 1; size <= 7; size++) {
      const got: ParsedSample[] = [];
      const p = createExpositionParser({ onSample: (s) => got.push(s) });
      for (let i = 0; i < bytes.length; i += size) p.write(bytes.subarray(i, i + size));
      p.end();
      expect(got).toEqual(whole);
    }
    expect(whole[0]!.labels['city']).toBe('Zürich ✓');
  });
});

describe('parseExposition (OpenMetrics 1.0)', () => {
  const om = (body: string) => parseExposition(body, { format: 'openmetrics' });

  it('parses counters with _total/_created, units, exemplars, float-second timestamps and # EOF', () => {
    const { samples, metadata } = om(
      [
        '# TYPE foo_seconds counter',
        '# UNIT foo_seconds seconds',
        '# HELP foo_seconds Time \\"spent\\".',
        'foo_seconds_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67 1520879606.5',
        'foo_seconds_created{a="b"} 1520430000.123',
        '# TYPE hist histogram',
        'hist_bucket{le="0.5"} 1 # {trace_id="x"} 0.3',
        'hist_bucket{le="+Inf"} 2',
        'hist_count 2',
        'hist_sum 1.1',
        '# TYPE st stateset',
        'st{st="a"} 1',
        'st{st="b"} 0',
        '# TYPE build info',
        'build_info{version="1.2"} 1',
        '# TYPE gh gaugehistogram',
        'gh_bucket{le="+Inf"} 3',
        'gh_gcount 3',
        'gh_gsum 2',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(samples.map((s) => s.name)).toEqual([
      'foo_seconds_total',
      'hist_bucket',
      'hist_bucket',
      'hist_count',
      'hist_sum',
      'st',
      'st',
      'build_info',
      'gh_bucket',
      'gh_gcount',
      'gh_gsum',
    ]);
    expect(samples[0]).toMatchObject({
      value: 17,
      timestamp: 1520879607789,
      family: 'foo_seconds',
      type: 'counter',
      exemplar: { labels: { trace_id: 'KOO5S4vxi0o' }, value: 0.67, timestamp: 1520879606500 },
    });
    expect(samples[1]!.exemplar).toEqual({ labels: { trace_id: 'x' }, value: 0.3 });
    expect(samples[7]).toMatchObject({ family: 'build', type: 'info' });
    expect(metadata[0]).toEqual({ family: 'foo_seconds', type: 'counter', unit: 'seconds', help: 'Time "spent".' });
    const kept = parseExposition('# TYPE c counter\nc_total 1\nc_created 5\n# EOF\n', { format: 'openmetrics', keepCreated: true });
    expect(kept.samples.map((s) => s.name)).toEqual(['c_total', 'c_created']);
  });

  it('rejects what OpenMetrics forbids, with positions', () => {
    expect(err(() => om('a 1\n')).expected).toMatch(/# EOF/);
    expect(err(() => om('a 1\n# EOF\nb 2\n')).line).toBe(3);
    expect(err(() => om('a 1\n\n# EOF\n')).line).toBe(2);
    expect(err(() => om('# TYPE c counter\nc 1\n# EOF\n')).expected).toMatch(/_total/);
    expect(err(() => om('# TYPE h histogram\nh_bucket 1\n# EOF\n')).expected).toMatch(/"le"/);
    expect(err(() => om('a 1 # {x="y"} 1\n# EOF\n')).expected).toMatch(/exemplars only/);
    expect(err(() => om('# UNIT a_bytes seconds\n# EOF\n')).expected).toMatch(/ending in "_seconds"/);
    expect(err(() => om('a  1\n# EOF\n')).column).toBe(3);
    expect(err(() => om('# random comment\n# EOF\n')).line).toBe(1);
  });

  it('detects the format from Content-Type', () => {
    expect(detectExpositionFormat('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe('openmetrics');
    expect(detectExpositionFormat('text/plain; version=0.0.4')).toBe('text');
    expect(detectExpositionFormat(undefined)).toBe('text');
  });
});
