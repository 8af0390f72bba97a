import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(pkgDir, 'bin', 'vigil.mjs');
const bundle = path.join(pkgDir, 'dist', 'vigil-cli.mjs');
const inputsFile = path.join(pkgDir, 'dist', 'vigil-cli.inputs.json');

async function vigil(args: string[], loader: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(process.execPath, [bin, ...args], { env: { ...process.env, VIGIL_LOADER: loader }, timeout: 60_000 });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    return { stdout: e.stdout ?? '', code: e.code ?? -1 };
  }
}

describe('vigil CLI loader (precompiled bundle, tsx fallback)', () => {
  it('runs the CLI from a bundle of the sources that keeps each module its own import.meta.url', async () => {
    const r = await vigil(['--help'], 'bundle');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: vigil <command>');
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
    expect(inputs).toContain(path.join(pkgDir, 'src', 'cli', 'main.ts'));
    const dashboardBuild = inputs.find((f) => f.endsWith(path.join('dashboard', 'src', 'build.ts')));
    expect(dashboardBuild).toBeDefined();
    // The dashboard locates its assets from its own source file, not from the bundle's location.
    expect(readFileSync(bundle, 'utf8')).toContain(JSON.stringify(pathToFileURL(dashboardBuild!).href));
  }, 90_000);

  it('rebuilds the bundle when a source file is newer than it', async () => {
    await vigil(['--help'], 'bundle');
    const marker = path.join(pkgDir, 'dist', `stale-marker-${process.pid}.ts`);
    writeFileSync(marker, '');
    const future = new Date(Date.now() + 60_000);
    utimesSync(marker, future, future);
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
    writeFileSync(inputsFile, JSON.stringify([...inputs, marker]));
    const before = statSync(bundle).mtimeMs;
    const r = await vigil(['--help'], 'bundle').finally(() => rmSync(marker, { force: true }));
    expect(r.code).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before);
    // The rebuilt bundle's inputs are the real sources again (the marker is not imported by anything).
    expect(JSON.parse(readFileSync(inputsFile, 'utf8'))).not.toContain(marker);
  }, 90_000);

  it('still runs the TypeScript sources through tsx when asked', async () => {
    const r = await vigil(['check', 'config', '--help'], 'tsx');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check config');
  }, 90_000);
});
