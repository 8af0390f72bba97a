import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { renderStatusAtom } from './render-atom.js';
import { renderStatusHtml } from './render-html.js';
import type { PublicStatus } from './public-status.js';
import type { StatusPage } from './status-page.js';

/** Options of {@link createStatusPagePlugin}. */
export interface StatusPagePluginOptions {
  readonly statusPage: StatusPage;
  /**
   * The monitor's external URL (`https://status.example.com`) for absolute links in the feed; when
   * unset they are built from the request's own scheme and Host, never from the listen address.
   */
  readonly externalUrl?: () => string | undefined;
  /**
   * How long one computed view answers requests while no check came in (default 5 s), and at least
   * (default 1 s) however many came in; concurrent requests share one computation. A public page
   * must not turn a traffic spike into queries per request.
   */
  readonly cacheMs?: number;
  readonly minCacheMs?: number;
  /** Wall clock (ms) for that cache. */
  readonly now?: () => number;
}

// Public and shareable for a short while: a proxy or browser may serve it for 30 s.
const CACHE = 'public, max-age=30';
// No script at all, only the inline stylesheet; nothing may frame the page.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function common(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', CACHE).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
}

/**
 * Fastify plugin serving the public status page without login: `GET /status` (HTML, works without
 * JavaScript), `GET /api/public/status` (the same as JSON) and `GET /status/feed.atom` (incidents).
 * Responses are `Cache-Control: public, max-age=30`; with `status_page.enabled: false` they are 404.
 */
export function createStatusPagePlugin(options: StatusPagePluginOptions): FastifyPluginAsync {
  const { statusPage } = options;
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 5_000;
  const minCacheMs = Math.min(options.minCacheMs ?? 1_000, cacheMs);
  let cached: { at: number; version: number; view: Promise<PublicStatus> } | undefined;
  const view = (): Promise<PublicStatus> => {
    const t = now();
    const age = cached ? t - cached.at : Infinity;
    const fresh = cached && age >= 0 && (age < minCacheMs || (age < cacheMs && cached.version === statusPage.version()));
    if (!cached || !fresh) {
      const p = statusPage.snapshot();
      cached = { at: t, version: statusPage.version(), view: p };
      // snapshot() never rejects, but a rejected promise must not stay cached if it ever did.
      p.catch(() => {
        if (cached?.view === p) cached = undefined;
      });
    }
    return cached.view;
  };
  // Rendered bodies per view: a cached view is rendered (and compressed) once, not per request.
  type Kind = 'html' | 'json';
  const rendered = new WeakMap<PublicStatus, Partial<Record<Kind | `${Kind}.gz`, Buffer>>>();
  const body = (status: PublicStatus, kind: Kind, gzip: boolean): Buffer => {
    let e = rendered.get(status);
    if (!e) rendered.set(status, (e = {}));
    const plain = (e[kind] ??= Buffer.from(kind === 'html' ? renderStatusHtml(status) : JSON.stringify(status)));
    // 90 bars per service repeat a lot: gzip makes a 50-service page about 20 times smaller.
    return gzip ? (e[`${kind}.gz`] ??= gzipSync(plain)) : plain;
  };
  const send = async (req: FastifyRequest, reply: FastifyReply, kind: Kind): Promise<FastifyReply> => {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const out = body(await view(), kind, gzip);
    common(reply).header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.type(kind === 'html' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8').send(out);
  };
  return async (app) => {
    const disabled = (reply: FastifyReply): FastifyReply | undefined =>
      statusPage.config().enabled ? undefined : reply.code(404).send({ error: 'the status page is disabled', code: 'VIGIL_ERR_NOT_FOUND' });
    const html = async (req: FastifyRequest, reply: FastifyReply) => {
      const off = disabled(reply);
      if (off) return off;
      return send(req, reply.header('content-security-policy', CSP), 'html');
    };
    app.get('/status', html);
    app.get('/status/', html);
    app.get('/api/public/status', async (req, reply) => {
      const off = disabled(reply);
      if (off) return off;
      return send(req, reply.header('access-control-allow-origin', '*'), 'json');
    });
    app.get('/status/feed.atom', async (req, reply) => {
      const off = disabled(reply);
      if (off) return off;
      const origin = options.externalUrl?.() ?? `${req.protocol}://${req.host}`;
      const base = `${origin.replace(/\/+$/, '')}/status`;
      return common(reply).type('application/atom+xml; charset=utf-8').send(renderStatusAtom(await view(), base));
    });
  };
}
