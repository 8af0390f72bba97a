/**
 * Test helpers for the notifier tests: a capturing HTTP server on port 0 standing in for Slack,
 * PagerDuty, Teams and webhooks, a fake retry clock, and sample notifications.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationAlert, NotificationData } from '../src/notify/contract.js';
import type { RetryClock } from '../src/notify/deliver.js';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { AlertmanagerGlobalLike, ReceiverSource } from '../src/notify/receiver-config.js';

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  json(): unknown;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Never answer (for timeout tests); the socket is destroyed when the server closes. */
  readonly hang?: boolean;
}

export interface CaptureServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Responses to give, in order; when exhausted, `fallback` is used (default 200). */
  script(...responses: ScriptedResponse[]): void;
  fallback: ScriptedResponse;
  /** When set (and the script is empty), decides each response from the request. */
  responder?: (req: CapturedRequest) => ScriptedResponse;
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const state = { fallback: { status: 200, body: 'ok' } as ScriptedResponse };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const captured: CapturedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: () => JSON.parse(body) };
      requests.push(captured);
      const r = queue.shift() ?? api.responder?.(captured) ?? state.fallback;
      if (r.hang) return;
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: CaptureServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...r) => void queue.push(...r),
    get fallback() {
      return state.fallback;
    },
    set fallback(r: ScriptedResponse) {
      state.fallback = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return api;
}

/** A clock whose `sleep` advances time instantly and records each wait. */
export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): RetryClock & { sleeps: number[]; t: number } {
  const c = {
    t: start,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

export function alert(overrides: Partial<NotificationAlert> & { labels: Record<string, string> }): NotificationAlert {
  return {
    status: 'firing',
    annotations: {},
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.local/graph?g0.expr=up',
    fingerprint: 'fp',
    ...overrides,
  };
}

/** A two-alert firing notification grouped by alertname. */
export function sampleData(overrides: Partial<NotificationData> = {}): NotificationData {
  const alerts = [
    alert({
      labels: { alertname: 'HighErrorRate', severity: 'critical', instance: 'api-1', service: 'api' },
      annotations: { summary: 'Error rate above 5%', description: 'api-1 returns 7% 5xx' },
      fingerprint: 'a1b2c3d4e5f60718',
    }),
    alert({
      labels: { alertname: 'HighErrorRate', severity: 'critical', instance: 'api-2', service: 'api' },
      annotations: { summary: 'Error rate above 5%', description: 'api-2 returns 9% 5xx' },
      fingerprint: '0817f6e5d4c3b2a1',
    }),
  ];
  return {
    receiver: 'team-api',
    status: 'firing',
    alerts,
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', severity: 'critical', service: 'api' },
    commonAnnotations: { summary: 'Error rate above 5%' },
    externalURL: 'http://vigil.local:9093',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}


/**
 * Parses an alertmanager.yml text and returns its global section and each receiver with a
 * `lineOf` that resolves paths relative to that receiver — what the config loader hands the notifiers.
 */
export function receiversFromYaml(text: string, file = 'alertmanager.yml'): { global: AlertmanagerGlobalLike; receivers: { raw: unknown; source: ReceiverSource }[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const js = doc.toJS() as { global?: AlertmanagerGlobalLike; receivers?: unknown[] };
  const receivers = (js.receivers ?? []).map((raw, i) => ({
    raw,
    source: {
      file,
      lineOf(path: readonly (string | number)[]) {
        // A mapping entry is located at its key, a sequence item at the item itself.
        let node: Node | undefined;
        const parent = doc.getIn(['receivers', i, ...path.slice(0, -1)], true) as Node | undefined;
        const last = path[path.length - 1];
        if (path.length > 0 && parent && isMap(parent)) {
          const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === last);
          node = pair?.key as Node | undefined;
        } else if (path.length > 0 && parent && isSeq(parent) && typeof last === 'number') {
          node = parent.items[last] as Node | undefined;
        } else node = doc.getIn(['receivers', i, ...path], true) as Node | undefined;
        const off = node?.range?.[0];
        if (off === undefined) return undefined;
        const p = lc.linePos(off);
        return { line: p.line, col: p.col };
      },
    },
  }));
  return { global: js.global ?? {}, receivers };
}
