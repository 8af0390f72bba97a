import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requestActor } from '../http/request-user.js';
import { computeEmergencyStatus, type EmergencySources } from './emergency-status.js';
import { IncidentError, IncidentErrorCode, invalid } from './errors.js';
import type { IncidentService } from './service.js';
import { isSeverity } from './severity.js';
import type { IncidentStatus, PublicUpdateStatus } from './types.js';

/** Options of {@link createIncidentsApiPlugin}. */
export interface IncidentsApiOptions {
  /** The incident service (resolved per request: a getter lets the monitor swap it). */
  readonly incidents: IncidentService | (() => IncidentService);
  /** Extra sources of `/emergency/status` (alerts, PromQL, targets, probes). */
  readonly emergency?: Omit<EmergencySources, 'incidents'>;
  readonly now?: () => number;
}

type Params = Record<string, string | undefined>;

function parseTime(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`invalid parameter "${name}": expected an RFC 3339 time or unix seconds, got ${JSON.stringify(v)}`);
  return t;
}

function body(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw invalid('request body must be a JSON object');
  return b as Record<string, unknown>;
}

/**
 * Creates the fastify plugin serving the incidents API (`/api/vigil/incidents*`: list, detail, manual
 * open, acknowledge, resolve, notes, playbook steps, public updates, MTTA/MTTR stats) and guide 004's
 * `GET /emergency/status`. Authorization is the auth layer's job (routes sit under protected prefixes);
 * the actor of each change is `requestActor(request)`. Errors: 400 invalid input, 404 unknown id,
 * as `{error, code}`.
 */
export function createIncidentsApiPlugin(options: IncidentsApiOptions): FastifyPluginAsync {
  const svc = (): IncidentService => (typeof options.incidents === 'function' ? options.incidents() : options.incidents);
  const now = options.now ?? Date.now;
  return async (app) => {
    // Action endpoints are often POSTed with a JSON content type and no body: accept that as `{}`
    // (this parser applies to this plugin's routes only).
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
      const t = (text as string).trim();
      if (t === '') return done(null, undefined);
      try {
        done(null, JSON.parse(t));
      } catch {
        done(Object.assign(invalid('request body is not valid JSON'), { statusCode: 400 }), undefined);
      }
    });
    const send = async (reply: FastifyReply, fn: () => Promise<unknown>, code = 200): Promise<unknown> => {
      try {
        const out = await fn();
        return reply.code(code).send(out);
      } catch (err) {
        if (err instanceof IncidentError) {
          return reply.code(err.code === IncidentErrorCode.notFound ? 404 : 400).send({ error: err.message, code: err.code });
        }
        // Store failures and the like: reported without internals (no SQL, no connection details).
        app.log.error(err);
        return reply.code(500).send({ error: 'incident store unavailable', code: 'VIGIL_ERR_INCIDENTS_UNAVAILABLE' });
      }
    };

    app.get('/api/vigil/incidents', (req, reply) =>
      send(reply, async () => {
        const q = req.query as Params;
        const statuses: IncidentStatus[] = ['open', 'acknowledged', 'resolved'];
        if (q.status !== undefined && !statuses.includes(q.status as IncidentStatus)) throw invalid(`invalid parameter "status": expected one of ${statuses.join(', ')}`);
        if (q.severity !== undefined && !isSeverity(q.severity)) throw invalid('invalid parameter "severity": expected one of critical, high, warning, info');
        let limit: number | undefined;
        if (q.limit !== undefined) {
          limit = Number(q.limit);
          if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('invalid parameter "limit": expected an integer from 1 to 1000');
        }
        const incidents = await svc().list({
          ...(q.status ? { status: q.status as IncidentStatus } : {}),
          ...(q.service !== undefined && q.service !== '' ? { service: q.service } : {}),
          ...(q.severity ? { severity: q.severity as 'critical' } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        return { incidents };
      }),
    );

    app.get('/api/vigil/incidents/stats', (req, reply) =>
      send(reply, async () => {
        const q = req.query as Params;
        const to = parseTime(q.to, 'to', now());
        const from = parseTime(q.from, 'from', to - 30 * 86_400_000);
        if (from > to) throw invalid('"from" must not be after "to"');
        return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), groups: await svc().stats(from, to) };
      }),
    );

    app.get('/api/vigil/incidents/:id', (req, reply) => send(reply, () => svc().get((req.params as Params).id!)));

    app.post('/api/vigil/incidents', (req, reply) =>
      send(
        reply,
        async () => {
          const b = body(req);
          if (b.service !== undefined && typeof b.service !== 'string') throw invalid('"service" must be a string');
          if (b.summary !== undefined && typeof b.summary !== 'string') throw invalid('"summary" must be a string');
          if (!isSeverity(b.severity)) throw invalid('"severity" must be one of critical, high, warning, info');
          return svc().open(
            {
              title: b.title as string,
              severity: b.severity,
              ...(typeof b.service === 'string' && b.service !== '' ? { service: b.service } : {}),
              ...(typeof b.summary === 'string' ? { summary: b.summary } : {}),
              ...(b.public === true ? { public: true } : {}),
            },
            requestActor(req),
          );
        },
        201,
      ),
    );

    const id = (req: FastifyRequest): string => (req.params as Params).id!;
    app.post('/api/vigil/incidents/:id/acknowledge', (req, reply) => send(reply, () => svc().acknowledge(id(req), requestActor(req))));
    app.post('/api/vigil/incidents/:id/resolve', (req, reply) => send(reply, () => svc().resolve(id(req), requestActor(req))));
    app.post('/api/vigil/incidents/:id/notes', (req, reply) => send(reply, async () => svc().addNote(id(req), body(req).text as string, requestActor(req))));
    app.post('/api/vigil/incidents/:id/playbook/steps/:index', (req, reply) =>
      send(reply, async () => {
        const b = body(req);
        if (b.done !== undefined && b.done !== true) throw invalid('"done" must be true (a step cannot be unchecked)');
        const raw = (req.params as Params).index!;
        if (!/^\d+$/.test(raw)) throw invalid(`step index must be a positive integer, got ${JSON.stringify(raw)}`);
        return svc().completeStep(id(req), Number(raw), requestActor(req));
      }),
    );
    app.post('/api/vigil/incidents/:id/public-updates', (req, reply) =>
      send(reply, async () => {
        const b = body(req);
        return svc().addPublicUpdate(id(req), { status: b.status as PublicUpdateStatus, text: b.text as string }, requestActor(req));
      }),
    );

    app.get('/emergency/status', (_req, reply) => send(reply, () => computeEmergencyStatus({ ...options.emergency, incidents: svc(), now })));
  };
}
