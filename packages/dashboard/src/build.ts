import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DashboardBuildError } from './errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Folder with the dashboard's built assets: `index.html` plus hashed files under `assets/`. */
export const dashboardDistDir = path.resolve(here, '..', 'dist');

const appDir = path.join(here, 'app');
const stampFile = 'build.json';

/** What a build produced: each asset with its raw and gzip size in bytes. */
export interface DashboardBuildResult {
  readonly distDir: string;
  readonly assets: readonly { readonly file: string; readonly bytes: number; readonly gzipBytes: number }[];
}

async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, await newestSourceMtime(p));
    else newest = Math.max(newest, (await stat(p)).mtimeMs);
  }
  return newest;
}

function indexHtml(js: string, css: string, boot: string): string {
  // No inline script or style: the server's Content-Security-Policy forbids both.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Vigil</title>
<link rel="stylesheet" href="/ui/assets/${css}">
<script src="/ui/assets/${boot}"></script>
<script type="module" src="/ui/assets/${js}"></script>
</head>
<body>
<div id="app"><p>Loading Vigil…</p></div>
<noscript>The Vigil dashboard needs JavaScript.</noscript>
</body>
</html>
`;
}

/**
 * Bundles the dashboard (Preact + uPlot, minified, no CDN) into {@link dashboardDistDir}: hashed
 * `assets/app-<hash>.js` and `.css`, and an `index.html` that references them. The new dist is
 * written beside the old one and swapped in by rename, so a server reading it never sees a half
 * build. Throws {@link DashboardBuildError} when esbuild fails.
 *
 * @example
 * const { assets } = await buildDashboard();
 * for (const a of assets) console.log(a.file, a.bytes, a.gzipBytes);
 */
export async function buildDashboard(options: { readonly outDir?: string } = {}): Promise<DashboardBuildResult> {
  const outDir = options.outDir ?? dashboardDistDir;
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  let result;
  try {
    result = await build({
      // boot: a few hundred bytes that start the overview request before the app bundle runs.
      entryPoints: { app: path.join(appDir, 'main.ts'), style: path.join(appDir, 'styles.css'), boot: path.join(appDir, 'boot-entry.ts') },
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2022'],
      outdir: path.join(tmp, 'assets'),
      entryNames: '[name]-[hash]',
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (err) {
    throw new DashboardBuildError(`dashboard build failed: ${(err as Error).message}`, { cause: err });
  }
  await mkdir(path.join(tmp, 'assets'), { recursive: true });
  const assets: { file: string; bytes: number; gzipBytes: number }[] = [];
  let js = '';
  let css = '';
  let boot = '';
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    // esbuild emits an empty stub JS for the CSS-only entry; skip it.
    if (name.startsWith('style-') && name.endsWith('.js')) continue;
    const finalName = name.startsWith('style-') ? name.replace(/^style-/, 'app-') : name;
    await writeFile(path.join(tmp, 'assets', finalName), f.contents);
    assets.push({ file: `assets/${finalName}`, bytes: f.contents.byteLength, gzipBytes: gzipSync(f.contents).byteLength });
    if (finalName.endsWith('.js')) {
      if (finalName.startsWith('boot-')) boot = finalName;
      else js = finalName;
    }
    if (finalName.endsWith('.css')) css = finalName;
  }
  const html = indexHtml(js, css, boot);
  await writeFile(path.join(tmp, 'index.html'), html);
  assets.push({ file: 'index.html', bytes: Buffer.byteLength(html), gzipBytes: gzipSync(html).byteLength });
  const stamp = { builtAt: Date.now(), hash: createHash('sha256').update(js + css + boot).digest('hex').slice(0, 12), assets };
  await writeFile(path.join(tmp, stampFile), JSON.stringify(stamp, null, 2));
  const old = `${outDir}.old-${process.pid}-${Date.now()}`;
  await rename(outDir, old).catch(() => undefined);
  try {
    await rename(tmp, outDir);
  } catch (err) {
    // Another process won the race and put its (equal) build in place: keep that one.
    await rm(tmp, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DashboardBuildError('cannot install the dashboard build', { cause: err });
  }
  await rm(old, { recursive: true, force: true });
  return { distDir: outDir, assets };
}

let pending: Promise<string> | undefined;

/**
 * Ensures {@link dashboardDistDir} holds a build at least as new as the dashboard's sources,
 * building it when missing or stale, and resolves to the dist folder. Concurrent calls in one
 * process share one build; a clean clone therefore works without a separate build step.
 */
export function ensureDashboardBuilt(): Promise<string> {
  pending ??= (async () => {
    try {
      const built = JSON.parse(await readFile(path.join(dashboardDistDir, stampFile), 'utf8')) as { builtAt: number };
      if (built.builtAt >= (await newestSourceMtime(appDir))) return dashboardDistDir;
    } catch {
      // no build yet
    }
    await buildDashboard();
    return dashboardDistDir;
  })().finally(() => {
    pending = undefined;
  });
  return pending;
}
