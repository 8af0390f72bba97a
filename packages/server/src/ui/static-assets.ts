import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Content-Security-Policy of every dashboard page: only same-origin scripts, styles and connections; no inline script. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** One file ready to send. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * Reads dashboard assets from a dist folder: `index.html` (never cached, since it names the current
 * hashed assets) and `assets/<name>` (hashed names, cached for a year, immutable). Names outside
 * `assets/` or with path separators resolve to undefined, so no request can read other files.
 */
export function createStaticAssets(distDir: () => Promise<string>): { index(): Promise<StaticFile>; asset(name: string): Promise<StaticFile | undefined> } {
  const cache = new Map<string, StaticFile>();
  return {
    async index() {
      const dir = await distDir();
      return { body: await readFile(path.join(dir, 'index.html')), contentType: TYPES['.html']!, cacheControl: 'no-cache' };
    },
    async asset(name) {
      if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name)) return undefined;
      const dir = await distDir();
      const file = path.join(dir, 'assets', name);
      const hit = cache.get(file);
      if (hit) return hit;
      try {
        const body = await readFile(file);
        const f = { body, contentType: TYPES[path.extname(name)] ?? 'application/octet-stream', cacheControl: 'public, max-age=31536000, immutable' };
        // Hashed names never change content, so caching them in memory is safe.
        if (cache.size < 64) cache.set(file, f);
        return f;
      } catch {
        return undefined;
      }
    },
  };
}
