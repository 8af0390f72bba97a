import { describe, expect, it } from 'vitest';
import { runCli } from './main.js';
import type { CliCommand } from './command.js';

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

const fake = (path: string[], code: number): CliCommand => ({
  path,
  summary: `does ${path.join(' ')}`,
  help: `help for ${path.join(' ')}`,
  run: async (args, io) => {
    io.stdout(`ran ${path.join(' ')} with ${args.join(',')}`);
    return code;
  },
});

describe('runCli', () => {
  const cmds = [fake(['check'], 5), fake(['check', 'rules'], 1), fake(['start'], 0)];

  it('picks the longest matching command and passes the rest of argv', async () => {
    const c = collect();
    expect(await runCli(['check', 'rules', 'a.yml'], c.io, cmds)).toBe(1);
    expect(c.out.join('')).toBe('ran check rules with a.yml');
  });

  it('prints per-command help', async () => {
    const c = collect();
    expect(await runCli(['start', '--help'], c.io, cmds)).toBe(0);
    expect(c.out.join('')).toContain('help for start');
  });

  it('rejects unknown commands with exit 2 and the usage', async () => {
    const c = collect();
    expect(await runCli(['frobnicate'], c.io, cmds)).toBe(2);
    expect(c.err.join('')).toContain('unknown command');
    expect(c.err.join('')).toContain('check rules');
  });

  it('turns a thrown error into exit 3 with its code', async () => {
    const c = collect();
    const boom: CliCommand = { ...fake(['boom'], 0), run: async () => { throw Object.assign(new Error('bad'), { code: 'VIGIL_ERR_X' }); } };
    expect(await runCli(['boom'], c.io, [boom])).toBe(3);
    expect(c.err.join('')).toContain('bad (VIGIL_ERR_X)');
  });
});
