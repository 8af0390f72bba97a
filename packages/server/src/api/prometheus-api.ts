import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  isStaleNaN,
  parsePromql,
  PromqlEvalError,
  PromqlParseError,
  type LabelMatcher,
  type Labels,
  type PromqlEngine,
  type Queryable,
  type QueryValue,
} from '@vigil/engine';
import type { ScrapeManager } from '../scrape/manager.js';
import { apiTime, BadDataError, formatValue, parseApiDuration, parseApiTime } from './params.js';
import type { RulesView } from './types.js';

/** Options of `createPrometheusApiPlugin`: what the API reads from. */
export interface PrometheusApiOptions {
  readonly queryable: Queryable;
  readonly engine: PromqlEngine;
  readonly scrape?: ScrapeManager;
  readonly rules?: RulesView;
  /** Wall clock (ms); default Date.now. */
  readonly now?: () => number;
  /** The loaded config as YAML with secrets redacted, for /api/v1/status/config. */
  readonly configYaml?: () => string;
  readonly flags?: () => Record<string, string>;
  readonly externalLabels?: () => Labels;
  /** False until the monitor has loaded its config and storage; /-/ready answers 503 until then. */
  readonly ready?: () => boolean;
  /** Reloads the config; rejects (old config kept) when the new one is bad. */
  readonly reload?: () => Promise<void>;
  /** Vigil's own metrics in text format. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
  readonly version?: string;
}

type Params = Record<string, string | string[] | undefined>;

function allParams(req: FastifyRequest): Params {
  const out: Params = { ...(req.query as Params) };
  const body = req.body;
  if (body && typeof body === 'object') for (const [k, v] of Object.entries(body as Params)) out[k] = v;
  return out;
}

function one(p: Params, name: string): string | undefined {
  const v = p[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function many(p: Params, name: string): string[] {
  const v = p[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function labelsObj(l: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) if (l[k] !== '') out[k] = l[k]!;
  return out;
}

/** Converts a QueryValue to the API's `data` object. */
export function formatQueryValue(v: QueryValue): { resultType: string; result: unknown } {
  switch (v.type) {
    case 'vector':
      return { resultType: 'vector', result: v.samples.map((s) => ({ metric: labelsObj(s.labels), value: [apiTime(s.timestamp), formatValue(s.value)] })) };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.series.map((s) => ({ metric: labelsObj(s.labels), values: s.points.map((p) => [apiTime(p.t), formatValue(p.v)]) })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: [apiTime(v.timestamp), formatValue(v.value)] };
    case 'string':
      return { resultType: 'string', result: [apiTime(v.timestamp), v.value] };
  }
}

function parseSelector(text: string): LabelMatcher[] {
  let expr;
  try {
    expr = parsePromql(text);
  } catch (err) {
    throw new BadDataError(`invalid parameter "match[]": ${(err as Error).message}`);
  }
  if (expr.kind !== 'vectorSelector') throw new BadDataError(`invalid parameter "match[]": expected a series selector, got ${text}`);
  const ms = [...expr.matchers];
  if (expr.name !== null && !ms.some((m) => m.name === '__name__')) ms.push({ type: '=', name: '__name__', value: expr.name });
  return ms;
}

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof BadDataError) return reply.code(400).send({ status: 'error', errorType: 'bad_data', error: err.message });
  if (err instanceof PromqlParseError) return reply.code(400).send({ status: 'error', errorType: 'bad_data', error: `invalid parameter "query": ${err.message}` });
  if (err instanceof PromqlEvalError) {
    const timeout = /timeout|timed out/i.test(err.message);
    return reply.code(timeout ? 503 : 422).send({ status: 'error', errorType: timeout ? 'timeout' : 'execution', error: err.message });
  }
  return reply.code(500).send({ status: 'error', errorType: 'internal', error: (err as Error).message });
}

/**
 * Creates the fastify plugin serving Prometheus's HTTP API v1 (query, query_range, series, labels,
 * label values, targets, rules, alerts, status) plus /federate, /metrics, /-/healthy, /-/ready and
 * /-/reload, with Prometheus's JSON shapes and error bodies; GET and POST form bodies both work.
 *
 * @example
 * await app.register(createPrometheusApiPlugin({ queryable: store, engine: createPromqlEngine() }));
 */
export function createPrometheusApiPlugin(options: PrometheusApiOptions): FastifyPluginAsync {
  const now = options.now ?? Date.now;
  const q = options.queryable;
  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      const out: Params = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const cur = out[k];
        out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
      }
      done(null, out);
    });

    const route = (path: string, handler: (p: Params, req: FastifyRequest) => unknown): void => {
      const h = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
        try {
          const data = handler(allParams(req), req);
          return reply.send({ status: 'success', data: await data });
        } catch (err) {
          return sendError(reply, err);
        }
      };
      app.get(path, h);
      app.post(path, h);
    };

    route('/api/v1/query', (p) => {
      const query = one(p, 'query');
      if (!query) throw new BadDataError('invalid parameter "query": empty query');
      const t = one(p, 'time');
      const time = t ? parseApiTime(t, 'time') : now();
      return formatQueryValue(options.engine.instantQuery(q, query, time));
    });

    route('/api/v1/query_range', (p) => {
      const query = one(p, 'query');
      const start = one(p, 'start');
      const end = one(p, 'end');
      const step = one(p, 'step');
      if (!start) throw new BadDataError('invalid parameter "start": cannot parse "" to a valid timestamp');
      if (!end) throw new BadDataError('invalid parameter "end": cannot parse "" to a valid timestamp');
      const s = parseApiTime(start, 'start');
      const e = parseApiTime(end, 'end');
      if (e < s) throw new BadDataError('end timestamp must not be before start time');
      if (!step) throw new BadDataError('invalid parameter "step": cannot parse "" to a valid duration');
      const st = parseApiDuration(step, 'step');
      if (st <= 0) throw new BadDataError('zero or negative query resolution step widths are not accepted. Try a positive integer');
      if ((e - s) / st > 11000) throw new BadDataError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
      if (!query) throw new BadDataError('invalid parameter "query": empty query');
      return formatQueryValue(options.engine.rangeQuery(q, query, s, e, st));
    });

    const window = (p: Params): [number, number] => {
      const s = one(p, 'start');
      const e = one(p, 'end');
      return [s ? parseApiTime(s, 'start') : -8.64e15, e ? parseApiTime(e, 'end') : 8.64e15];
    };

    route('/api/v1/series', (p) => {
      const matches = many(p, 'match[]');
      if (matches.length === 0) throw new BadDataError('no match[] parameter provided');
      const [s, e] = window(p);
      const seen = new Map<string, Record<string, string>>();
      for (const m of matches) {
        for (const ser of q.select(parseSelector(m), s, e)) {
          if (ser.values.length > 0 && Array.from(ser.values).every(isStaleNaN)) continue;
          const obj = labelsObj(ser.labels);
          seen.set(JSON.stringify(obj), obj);
        }
      }
      return [...seen.values()];
    });

    route('/api/v1/labels', (p) => {
      const [s, e] = window(p);
      const matches = many(p, 'match[]');
      if (matches.length === 0) return q.labelNames([], s, e);
      const names = new Set<string>();
      for (const m of matches) for (const n of q.labelNames(parseSelector(m), s, e)) names.add(n);
      return [...names].sort();
    });

    route('/api/v1/label/:name/values', (p, req) => {
      const name = (req.params as { name: string }).name;
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new BadDataError(`invalid label name: "${name}"`);
      const [s, e] = window(p);
      const matches = many(p, 'match[]');
      if (matches.length === 0) return q.labelValues(name, [], s, e);
      const values = new Set<string>();
      for (const m of matches) for (const v of q.labelValues(name, parseSelector(m), s, e)) values.add(v);
      return [...values].sort();
    });

    route('/api/v1/targets', (p) => {
      const state = one(p, 'state') ?? 'any';
      const active = (options.scrape?.targets() ?? []).map((t) => ({
        discoveredLabels: labelsObj(t.target.discoveredLabels),
        labels: labelsObj(t.target.labels),
        scrapePool: t.target.job,
        scrapeUrl: t.target.url,
        globalUrl: t.target.url,
        lastError: t.lastError,
        lastScrape: t.lastScrape ? new Date(t.lastScrape).toISOString() : '0001-01-01T00:00:00Z',
        lastScrapeDuration: t.lastScrapeDurationSeconds,
        health: t.health,
        scrapeInterval: `${t.intervalMs / 1000}s`,
        scrapeTimeout: `${t.target.config.scrape_timeout_ms / 1000}s`,
      }));
      const dropped = (options.scrape?.droppedTargets() ?? []).map((t) => ({ discoveredLabels: labelsObj(t.discoveredLabels) }));
      return { activeTargets: state === 'dropped' ? [] : active, droppedTargets: state === 'active' ? [] : dropped };
    });

    route('/api/v1/rules', (p) => {
      const type = one(p, 'type');
      const groups = (options.rules?.groups() ?? []).map((g) => ({
        ...g,
        rules: g.rules.filter((r) => !type || (type === 'alert' ? r.type === 'alerting' : type === 'record' ? r.type === 'recording' : true)),
      }));
      return { groups };
    });

    route('/api/v1/alerts', () => ({ alerts: options.rules?.alerts() ?? [] }));

    route('/api/v1/status/buildinfo', () => ({
      version: options.version ?? '0.1.0',
      revision: 'vigil',
      branch: 'main',
      buildUser: 'vigil',
      buildDate: '',
      goVersion: `node${process.versions.node}`,
    }));
    route('/api/v1/status/config', () => ({ yaml: options.configYaml?.() ?? '' }));
    route('/api/v1/status/flags', () => options.flags?.() ?? {});
    route('/api/v1/status/runtimeinfo', () => ({
      startTime: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      CWD: process.cwd(),
      reloadConfigSuccess: true,
      goroutineCount: 0,
      GOMAXPROCS: 1,
      storageRetention: '15d',
    }));
    route('/api/v1/metadata', () => ({}));

    app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('Vigil is Healthy.\n'));
    app.get('/-/ready', async (_req, reply) => {
      if (options.ready && !options.ready()) return reply.code(503).type('text/plain').send('Service Unavailable');
      return reply.type('text/plain').send('Vigil is Ready.\n');
    });
    const reload = async (_req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      if (!options.reload) return reply.code(404).send('reload not enabled');
      try {
        await options.reload();
        return reply.type('text/plain').send('');
      } catch (err) {
        return reply.code(500).type('text/plain').send(`failed to reload config: ${(err as Error).message}\n`);
      }
    };
    app.post('/-/reload', reload);
    app.put('/-/reload', reload);

    app.get('/metrics', async (_req, reply) => {
      if (!options.metrics) return reply.code(404).send('');
      const m = await options.metrics();
      return reply.type(m.contentType).send(m.body);
    });

    app.get('/federate', async (req, reply) => {
      const p = allParams(req);
      let matchers: LabelMatcher[][];
      try {
        matchers = many(p, 'match[]').map(parseSelector);
      } catch (err) {
        return reply.code(400).type('text/plain').send(`${(err as Error).message}\n`);
      }
      const t = now();
      const ext = options.externalLabels?.() ?? {};
      const seen = new Set<string>();
      const byName = new Map<string, string[]>();
      for (const ms of matchers) {
        for (const s of q.select(ms, t - 5 * 60_000, t)) {
          const n = s.values.length;
          if (n === 0) continue;
          const v = s.values[n - 1]!;
          if (isStaleNaN(v)) continue;
          const labels: Record<string, string> = { ...labelsObj(s.labels) };
          for (const [k, ev] of Object.entries(ext)) if (!labels[k]) labels[k] = ev;
          const name = labels.__name__ ?? '';
          delete labels.__name__;
          const key = name + JSON.stringify(labels);
          if (seen.has(key)) continue;
          seen.add(key);
          const ls = Object.keys(labels).sort().map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
          const line = `${name}{${ls.join(',')}} ${formatValue(v)} ${s.timestamps[n - 1]}`;
          let arr = byName.get(name);
          if (!arr) byName.set(name, (arr = []));
          arr.push(line);
        }
      }
      let body = '';
      for (const name of [...byName.keys()].sort()) body += `# TYPE ${name} untyped\n${byName.get(name)!.join('\n')}\n`;
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(body);
    });
  };
}
