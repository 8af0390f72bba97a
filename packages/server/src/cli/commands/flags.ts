/** Parses `--name value` / `--name=value` flags and positionals; unknown flags are an error. */
export function parseFlags(args: string[], known: readonly string[]): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name)) throw new UsageError(`unknown flag --${name}`);
    if (eq >= 0) flags[name] = a.slice(eq + 1);
    else {
      const v = args[i + 1];
      if (v === undefined) throw new UsageError(`flag --${name} needs a value`);
      flags[name] = v;
      i++;
    }
  }
  return { flags, positional };
}

/** A bad command line: the command prints it and exits 2. */
export class UsageError extends Error {}
