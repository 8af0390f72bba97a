import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { VigilError } from '../../errors.js';
import { AlertingErrorCode } from '../errors.js';
import { matchesAll, type Matcher } from '../matchers/matcher.js';
import { parseMatchers } from '../matchers/parse.js';
import type { AlertingPipeline, AlertView } from '../pipeline.js';
import type { SilenceMatcher, SilenceState } from '../silence/silences.js';
import { parseRfc3339, rfc3339 } from '../time-format.js';
import type { PostableAlert } from '../types.js';
import { alertGroup, gettableAlert, gettableSilence, maskedConfig } from './shapes.js';

/** Options of {@link createAlertmanagerApiPlugin}. */
export interface AlertmanagerApiOptions {
  readonly pipeline: AlertingPipeline;
  /** Name reported as the cluster name in `/api/v2/status` (default `vigil`). */
  readonly clusterName?: string;
}

type Query = Record<string, string | string[] | undefined>;

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function bool(v: string | string[] | undefined, dflt: boolean): boolean {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === '') return dflt;
  return s === 'true' || s === '1';
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).type('application/json').send(JSON.stringify(message));
}

function parseFilter(q: Query): Matcher[] {
  return list(q.filter).flatMap((f) => parseMatchers(f));
}

function receiverFilter(q: Query): RegExp | undefined {
  const r = Array.isArray(q.receiver) ? q.receiver[0] : q.receiver;
  return r ? new RegExp(`^(?:${r})$`) : undefined;
}

function keepAlert(v: AlertView, q: Query, filter: readonly Matcher[], recv: RegExp | undefined): boolean {
  if (!bool(q.active, true) && v.state === 'active') return false;
  if (!bool(q.silenced, true) && v.silencedBy.length > 0) return false;
  if (!bool(q.inhibited, true) && v.inhibitedBy.length > 0) return false;
  if (!bool(q.unprocessed, true) && v.state === 'unprocessed') return false;
  if (recv && !v.receivers.some((r) => recv.test(r))) return false;
  return matchesAll(filter, v.alert.labels);
}

const stateOrder: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/**
 * Creates the fastify plugin serving Alertmanager's API v2 on the pipeline: `POST/GET /api/v2/alerts`,
 * `GET /api/v2/alerts/groups`, `GET/POST /api/v2/silences`, `GET/DELETE /api/v2/silence/:id`,
 * `GET /api/v2/status`, `GET /api/v2/receivers` — JSON shapes as in Alertmanager 0.25's OpenAPI, so
 * Prometheus and `amtool` work against it. Register it without a prefix.
 *
 * @example
 * const app = Fastify();
 * await app.register(createAlertmanagerApiPlugin({ pipeline }));
 */
export function createAlertmanagerApiPlugin(options: AlertmanagerApiOptions): FastifyPluginAsync {
  const { pipeline } = options;
  return async (app: FastifyInstance) => {
    // Plain JSON.parse for this plugin's routes (encapsulated): alert batches are the hot path, and
    // the values are only copied into plain records, so prototype keys are inert.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, body === '' ? null : JSON.parse(body as string));
      } catch (err) {
        (err as { statusCode?: number }).statusCode = 400;
        done(err as Error, undefined);
      }
    });
    app.post('/api/v2/alerts', { bodyLimit: 32 * 1024 * 1024 }, async (req, reply) => {
      const body = req.body as unknown;
      if (!Array.isArray(body)) return badRequest(reply, 'body must be a JSON array of alerts');
      try {
        await pipeline.receive(body as PostableAlert[]);
      } catch (err) {
        if (err instanceof VigilError && err.code === AlertingErrorCode.alertInvalid) return badRequest(reply, err.message);
        throw err;
      }
      return reply.code(200).send();
    });

    app.get('/api/v2/alerts', async (req, reply) => {
      const q = req.query as Query;
      let filter: Matcher[];
      let recv: RegExp | undefined;
      try {
        filter = parseFilter(q);
        recv = receiverFilter(q);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      const out = pipeline
        .alerts()
        .filter((v) => keepAlert(v, q, filter, recv))
        .sort((a, b) => (a.alert.fingerprint < b.alert.fingerprint ? -1 : 1))
        .map(gettableAlert);
      return reply.send(out);
    });

    app.get('/api/v2/alerts/groups', async (req, reply) => {
      const q = req.query as Query;
      let filter: Matcher[];
      let recv: RegExp | undefined;
      try {
        filter = parseFilter(q);
        recv = receiverFilter(q);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      const out = [];
      for (const g of pipeline.groups()) {
        if (recv && !recv.test(g.receiver)) continue;
        const alerts = g.alerts.filter((v) => keepAlert(v, q, filter, undefined));
        if (alerts.length > 0) out.push(alertGroup(g, alerts));
      }
      return reply.send(out);
    });

    app.get('/api/v2/silences', async (req, reply) => {
      const q = req.query as Query;
      let filter: Matcher[];
      try {
        filter = parseFilter(q);
      } catch (err) {
        return badRequest(reply, (err as Error).message);
      }
      const out = pipeline
        .listSilences()
        .filter((s) => {
          const ls: Record<string, string> = {};
          for (const m of s.matchers) ls[m.name] = m.value;
          return matchesAll(filter, ls);
        })
        .sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || (a.state === 'pending' ? a.startsAt - b.startsAt : a.state === 'active' ? a.endsAt - b.endsAt : b.endsAt - a.endsAt))
        .map(gettableSilence);
      return reply.send(out);
    });

    app.post('/api/v2/silences', async (req, reply) => {
      const b = req.body as Record<string, unknown> | null;
      if (!b || typeof b !== 'object') return badRequest(reply, 'body must be a silence object');
      const startsAt = parseRfc3339(b.startsAt as string | undefined);
      const endsAt = parseRfc3339(b.endsAt as string | undefined);
      if (startsAt === undefined || endsAt === undefined || Number.isNaN(startsAt) || Number.isNaN(endsAt)) return badRequest(reply, 'startsAt and endsAt must be RFC 3339 times');
      if (!Array.isArray(b.matchers)) return badRequest(reply, 'matchers must be a list');
      const matchers: SilenceMatcher[] = [];
      for (const m of b.matchers as Record<string, unknown>[]) {
        if (!m || typeof m.name !== 'string' || typeof m.value !== 'string' || typeof m.isRegex !== 'boolean') return badRequest(reply, 'each matcher needs name, value and isRegex');
        matchers.push({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual === undefined ? true : Boolean(m.isEqual) });
      }
      try {
        const silenceID = await pipeline.putSilence({
          ...(typeof b.id === 'string' && b.id !== '' ? { id: b.id } : {}),
          matchers,
          startsAt,
          endsAt,
          createdBy: typeof b.createdBy === 'string' ? b.createdBy : '',
          comment: typeof b.comment === 'string' ? b.comment : '',
        });
        return reply.send({ silenceID });
      } catch (err) {
        if (err instanceof VigilError && err.code === AlertingErrorCode.silenceNotFound) return reply.code(404).type('application/json').send(JSON.stringify(err.message));
        if (err instanceof VigilError && err.code === AlertingErrorCode.silenceInvalid) return badRequest(reply, err.message);
        throw err;
      }
    });

    app.get('/api/v2/silence/:id', async (req, reply) => {
      const s = pipeline.getSilence((req.params as { id: string }).id);
      if (!s) return reply.code(404).send();
      return reply.send(gettableSilence(s));
    });

    app.delete('/api/v2/silence/:id', async (req, reply) => {
      try {
        await pipeline.expireSilence((req.params as { id: string }).id);
        return reply.code(200).send();
      } catch (err) {
        if (err instanceof VigilError && err.code === AlertingErrorCode.silenceNotFound) return reply.code(404).send();
        if (err instanceof VigilError) return reply.code(500).type('application/json').send(JSON.stringify(err.message));
        throw err;
      }
    });

    app.get('/api/v2/status', async (_req, reply) => {
      return reply.send({
        cluster: { name: options.clusterName ?? 'vigil', status: 'disabled', peers: [] },
        versionInfo: { branch: 'vigil', buildDate: '', buildUser: 'vigil', goVersion: 'none', revision: 'vigil', version: '0.25.0' },
        config: { original: maskedConfig(pipeline.config.original) },
        uptime: rfc3339(pipeline.startedAt),
      });
    });

    app.get('/api/v2/receivers', async (_req, reply) => reply.send(pipeline.receivers().map((name) => ({ name }))));
  };
}
