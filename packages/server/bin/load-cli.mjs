// Loads the `vigil` CLI as precompiled JavaScript. Vigil's packages ship TypeScript sources; running
// them through tsx costs ≈ 50 MiB of resident memory for the life of the process (Node 20 runs
// module-loader hooks on their own thread, with its own V8 heap), which a long-running monitor pays
// forever. Instead the CLI and the @vigil/* sources it imports are bundled once with esbuild into
// `dist/vigil-cli.mjs` (npm dependencies stay external) and rebuilt whenever a source file is newer
// than the bundle. If the bundle cannot be built or written, or VIGIL_LOADER=tsx is set, the sources
// run through tsx as before.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(pkgDir, 'src', 'cli', 'main.ts');
const outFile = path.join(pkgDir, 'dist', 'vigil-cli.mjs');
const inputsFile = path.join(pkgDir, 'dist', 'vigil-cli.inputs.json');

/** Whether the bundle exists and no file it was built from changed (or vanished) since. */
function bundleIsFresh() {
  try {
    const built = statSync(outFile).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    for (const f of inputs) if (statSync(f).mtimeMs > built) return false;
    return true;
  } catch {
    return false;
  }
}

/** Bundles the CLI into `outFile` (written beside it, then renamed: concurrent starts never see half a file). */
async function buildBundle() {
  const esbuild = (await import('esbuild')).default;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    sourcemap: 'linked',
    outfile: outFile,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [
      {
        name: 'vigil-sources',
        setup(b) {
          // Only the workspace's own TypeScript is bundled; npm packages load from node_modules as usual.
          b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@vigil/') || path.isAbsolute(a.path) ? undefined : { path: a.path, external: true }));
          // Each module keeps its own import.meta.url (the dashboard finds its assets relative to its source).
          b.onLoad({ filter: /\.[cm]?ts$/ }, (a) => ({
            contents: readFileSync(a.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  await esbuild.stop?.();
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(process.cwd(), f));
  mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  for (const f of result.outputFiles) {
    writeFileSync(f.path + tmp, f.contents);
    renameSync(f.path + tmp, f.path);
  }
  writeFileSync(inputsFile + tmp, JSON.stringify(inputs));
  renameSync(inputsFile + tmp, inputsFile);
}

/**
 * Imports the CLI module (`runCli`): the precompiled bundle, (re)built when missing or stale, or the
 * TypeScript sources through tsx when VIGIL_LOADER=tsx or the bundle cannot be built.
 */
export async function loadCli() {
  if (process.env.VIGIL_LOADER !== 'tsx') {
    try {
      if (!bundleIsFresh()) await buildBundle();
      return await import(pathToFileURL(outFile).href);
    } catch (err) {
      if (process.env.VIGIL_LOADER === 'bundle') throw err;
      rmSync(inputsFile, { force: true });
      // fall through: run the sources
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(entry).href);
}
