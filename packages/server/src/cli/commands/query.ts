import { EXIT, type CliCommand } from '../command.js';
import { parseFlags } from './flags.js';

interface ApiResult {
  status: string;
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
}

function fmtMetric(m: Record<string, string>): string {
  const name = m.__name__ ?? '';
  const rest = Object.keys(m).filter((k) => k !== '__name__').sort().map((k) => `${k}=${JSON.stringify(m[k])}`);
  return `${name}{${rest.join(', ')}}`;
}

/** Formats a query result like `promtool query` does (one line per series). */
export function formatResult(data: { resultType: string; result: unknown }): string {
  switch (data.resultType) {
    case 'vector':
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => `${fmtMetric(s.metric)} => ${s.value[1]} @[${s.value[0]}]`).join('\n');
    case 'matrix':
      return (data.result as { metric: Record<string, string>; values: [number, string][] }[])
        .map((s) => `${fmtMetric(s.metric)} =>\n${s.values.map((v) => `${v[1]} @[${v[0]}]`).join('\n')}`)
        .join('\n');
    default: {
      const [t, v] = data.result as [number, string];
      return `${data.resultType} => ${v} @[${t}]`;
    }
  }
}

/** `vigil query instant|range URL EXPR`: queries a Vigil or Prometheus server's HTTP API. */
export const queryCommand: CliCommand = {
  path: ['query'],
  summary: 'Run an instant or range PromQL query against a Vigil or Prometheus URL',
  help: `Usage:
  vigil query instant URL EXPR [--time T] [--format text|json]
  vigil query range URL EXPR [--start T] [--end T] [--step D] [--format text|json]

Times are RFC3339 or unix seconds; the range defaults to the last 5 minutes with a 15s step.
Exit codes: 0 success, 1 the server answered with an error, 2 bad arguments, 3 cannot connect.
`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseFlags(args, ['time', 'start', 'end', 'step', 'format']);
    } catch (err) {
      io.stderr(`vigil query: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    const { flags, positional } = parsed;
    const [mode, base, expr] = positional;
    if ((mode !== 'instant' && mode !== 'range') || !base || !expr) {
      io.stderr('vigil query: usage: vigil query instant|range URL EXPR (see --help)\n');
      return EXIT.usage;
    }
    const params = new URLSearchParams({ query: expr });
    if (mode === 'instant') {
      if (flags.time) params.set('time', flags.time);
    } else {
      const end = flags.end ?? String(Date.now() / 1000);
      params.set('end', end);
      params.set('start', flags.start ?? String(Number(end) - 300 || Date.now() / 1000 - 300));
      params.set('step', flags.step ?? '15s');
    }
    let body: ApiResult;
    try {
      const res = await fetch(`${base.replace(/\/$/, '')}/api/v1/${mode === 'instant' ? 'query' : 'query_range'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      });
      body = (await res.json()) as ApiResult;
    } catch (err) {
      io.stderr(`vigil query: cannot query ${base}: ${(err as Error).message}\n`);
      return EXIT.runtime;
    }
    if (body.status !== 'success' || !body.data) {
      io.stderr(`vigil query: ${body.errorType ?? 'error'}: ${body.error ?? 'unknown error'}\n`);
      return EXIT.failed;
    }
    io.stdout((flags.format === 'json' ? JSON.stringify(body.data) : formatResult(body.data)) + '\n');
    return EXIT.ok;
  },
};
