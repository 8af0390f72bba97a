import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Labels } from '../src/model/labels.js';

/** One generated series with its samples (ms timestamps). */
export interface GenSeries {
  labels: Labels;
  t: number[];
  v: number[];
}

/** True when both `prometheus` and `promtool` are on PATH. */
export function prometheusAvailable(): boolean {
  return ['prometheus', 'promtool'].every((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** Formats a float for OpenMetrics so Go parses back the identical value. */
function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Writes the series as an OpenMetrics file (untyped families, one family per metric name), series by series. */
export function writeOpenMetrics(series: GenSeries[], file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const chunk of openMetricsChunks(series)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

function* openMetricsChunks(series: GenSeries[]): Generator<string> {
  const byName = new Map<string, GenSeries[]>();
  for (const s of series) {
    const n = s.labels.__name__!;
    let list = byName.get(n);
    if (!list) byName.set(n, (list = []));
    list.push(s);
  }
  for (const [name, list] of byName) {
    for (const s of list) {
      const lines: string[] = [];
      const ls = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      for (let i = 0; i < s.t.length; i++) lines.push(`${name}{${ls}} ${fmt(s.v[i]!)} ${s.t[i]! / 1000}\n`);
      yield lines.join('');
    }
  }
  yield '# EOF\n';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running Prometheus over backfilled data. */
export interface Oracle {
  readonly url: string;
  query(path: string, params: Record<string, string>): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Backfills `series` with promtool and starts Prometheus on a free loopback port over that data;
 * resolves once /-/ready answers.
 */
export async function startOracle(series: GenSeries[]): Promise<Oracle> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-promql-'));
  const om = join(dir, 'data.om');
  writeOpenMetrics(series, om);
  const data = join(dir, 'tsdb');
  const bf = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', om, data], { encoding: 'utf8' });
  if (bf.status !== 0) throw new Error(`promtool backfill failed: ${bf.stderr}`);
  const cfg = join(dir, 'prometheus.yml');
  writeFileSync(cfg, 'global: {}\n');
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'prometheus',
    [
      `--storage.tsdb.path=${data}`,
      `--config.file=${cfg}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || i > 300) {
      await stop();
      throw new Error(`prometheus did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(path, params) {
      const r = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return r.json();
    },
    stop,
  };
}
