import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { createMonitor } from '../src/monitor/index.js';
import { until as waitUntil } from '@vigil/test-support';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vigil.mjs');

function vigil(args: string[], cwd: string): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (err += c));
  const exit = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
  return { child, out: () => out, err: () => err, exit };
}

const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> => waitUntil(what, fn, { timeoutMs: 20_000 });

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

const good = (job: string): string => `global:\n  scrape_interval: 1h\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:9']\n`;

describe('vigil CLI (real processes)', () => {
  it('start serves the API, reloads on SIGHUP, keeps the old config when the new one is bad, stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
    writeFileSync(path.join(dir, 'vigil.yml'), good('first'));
    const p = vigil(['start', '--port', '0', '--data-dir', path.join(dir, 'data')], dir);
    children.push(p.child);
    const url = await until('the URL line', () => /running at (http:\/\/\S+)/.exec(p.out())?.[1]);
    expect(p.out()).toContain('first');
    const jobs = async (): Promise<string[]> => {
      const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { scrapePool: string }[] } };
      return body.data.activeTargets.map((t) => t.scrapePool);
    };
    expect(await jobs()).toEqual(['first']);

    writeFileSync(path.join(dir, 'vigil.yml'), good('second'));
    p.child.kill('SIGHUP');
    await until('reload', async () => ((await jobs())[0] === 'second' ? true : undefined));

    writeFileSync(path.join(dir, 'vigil.yml'), `${good('third')}    bogus_field: 1\n`);
    const res = await fetch(`${url}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/vigil\.yml:7:5: scrape_configs\[0\]\.bogus_field: unknown field/);
    expect(await jobs()).toEqual(['second']);
    expect(p.out()).toMatch(/config reload failed, keeping the old config/);

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  }, 30_000);

  it('start refuses a bad config with its line and exit code 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
    writeFileSync(path.join(dir, 'vigil.yml'), 'global:\n  scrape_interval: soon\n');
    const p = vigil(['start', '--port', '0'], dir);
    children.push(p.child);
    expect(await p.exit).toBe(2);
    expect(p.err()).toMatch(/vigil\.yml:2:20: global\.scrape_interval: not a valid duration/);
  });

  it('check config reports success, failures with line/column, and unreadable files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
    writeFileSync(path.join(dir, 'ok.yml'), `${good('a')}rule_files:\n  - rules.yml\n`);
    writeFileSync(path.join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n');
    const bad = vigil(['check', 'config', 'ok.yml'], dir);
    expect(await bad.exit).toBe(1);
    expect(bad.err()).toMatch(/rules\.yml:5:\d+: .*parse error/);
    writeFileSync(path.join(dir, 'rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n');
    const ok = vigil(['check', 'config', 'ok.yml'], dir);
    expect(await ok.exit).toBe(0);
    expect(ok.out()).toMatch(/SUCCESS: 1 scrape configs, 0 probes, 1 rules in 1 groups/);
    const missing = vigil(['check', 'config', 'nope.yml'], dir);
    expect(await missing.exit).toBe(2);
  }, 30_000);

  it('query instant/range prints promtool-style lines and maps errors to exit codes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
    writeFileSync(path.join(dir, 'vigil.yml'), 'global:\n  scrape_interval: 1h\n');
    const monitor = await createMonitor({ config: path.join(dir, 'vigil.yml'), port: 0 });
    try {
      monitor.store.append({ __name__: 'temp', room: 'a' }, 1_700_000_000_000, 21.5);
      monitor.store.append({ __name__: 'temp', room: 'a' }, 1_700_000_060_000, 22);
      let out = '';
      let err = '';
      const io = { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) };
      expect(await runCli(['query', 'instant', monitor.url, 'temp', '--time', '1700000030'], io)).toBe(0);
      expect(out).toBe('temp{room="a"} => 21.5 @[1700000030]\n');
      out = '';
      expect(await runCli(['query', 'range', monitor.url, 'temp * 2', '--start', '1700000000', '--end', '1700000060', '--step', '1m'], io)).toBe(0);
      expect(out).toBe('{room="a"} =>\n43 @[1700000000]\n44 @[1700000060]\n');
      expect(await runCli(['query', 'instant', monitor.url, 'sum('], io)).toBe(1);
      expect(err).toMatch(/bad_data: invalid parameter "query"/);
      expect(await runCli(['query', 'sideways', monitor.url, 'x'], io)).toBe(2);
      expect(await runCli(['query', 'instant', 'http://127.0.0.1:9', 'up'], io)).toBe(3);
    } finally {
      await monitor.stop();
    }
  });
});
