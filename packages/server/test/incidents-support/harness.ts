import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManualClock, type ManualClock } from '../../src/alerting/clock.js';
import { parseAlertmanagerConfig } from '../../src/alerting/config/parse.js';
import { createAlertingPipeline, type AlertingPipeline } from '../../src/alerting/pipeline.js';
import { DEFAULT_INCIDENTS_CONFIG, type IncidentsConfig } from '../../src/incidents/config.js';
import { createIncidentService, type IncidentService } from '../../src/incidents/service.js';
import type { StateStore } from '../../src/state/types.js';

/** A local HTTP server on port 0 recording JSON POST bodies by path; `status[path]` is what it answers (default 200). */
export async function hookServer(): Promise<{ url: string; bodies: Map<string, unknown[]>; status: Record<string, number>; close(): Promise<void> }> {
  const bodies = new Map<string, unknown[]>();
  const status: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const list = bodies.get(path) ?? [];
      const text = Buffer.concat(chunks).toString('utf8');
      list.push(text ? JSON.parse(text) : null);
      bodies.set(path, list);
      res.statusCode = status[path] ?? 200;
      res.setHeader('content-type', 'text/plain');
      res.end(`ok from ${path} password=hunter2${req.headers['x-echo'] ? ` echo ${String(req.headers['x-echo'])}` : ''}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    status,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Alertmanager config with receivers team (routed), lead and boss (escalation chain), all webhooks to `base`. */
export function amYaml(base: string): string {
  return `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 1m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs:
      - url: ${base}/team
  - name: lead
    webhook_configs:
      - url: ${base}/lead
  - name: boss
    webhook_configs:
      - url: ${base}/boss
`;
}

/** A pipeline and incident service on a manual clock over `store`. */
export interface Harness {
  readonly clock: ManualClock;
  readonly pipeline: AlertingPipeline;
  readonly incidents: IncidentService;
  /** Posts a firing alert (ends in 24 h) or, with `resolved`, its resolution now. */
  fire(labels: Record<string, string>, annotations?: Record<string, string>): Promise<void>;
  resolve(labels: Record<string, string>): Promise<void>;
  /** Advances the clock and waits for deliveries and incident work to finish. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a harness; `clock` lets a restarted harness continue on the same timeline. */
export async function startHarness(store: StateStore, base: string, config: Partial<IncidentsConfig> = {}, clock: ManualClock = createManualClock()): Promise<Harness> {
  const pipeline = await createAlertingPipeline({ config: parseAlertmanagerConfig(amYaml(base), 'am.yml'), clock, externalURL: 'http://vigil.test' });
  const incidents = await createIncidentService({ store, clock, pipeline, externalURL: 'http://vigil.test', config: { ...DEFAULT_INCIDENTS_CONFIG, ...config } });
  const iso = (ms: number) => new Date(ms).toISOString();
  const starts = new Map<string, number>();
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await pipeline.idle();
      await incidents.idle();
    }
  };
  return {
    clock,
    pipeline,
    incidents,
    async fire(labels, annotations = {}) {
      if (!starts.has(key(labels))) starts.set(key(labels), clock.now());
      await pipeline.receive([{ labels, annotations, startsAt: iso(starts.get(key(labels))!), endsAt: iso(clock.now() + 86_400_000) }]);
    },
    async resolve(labels) {
      const s = starts.get(key(labels)) ?? clock.now();
      starts.delete(key(labels));
      await pipeline.receive([{ labels, startsAt: iso(s), endsAt: iso(clock.now()) }]);
    },
    async advance(ms) {
      // Step in small increments so loopback deliveries complete between timers.
      const step = 10_000;
      for (let left = ms; left > 0; left -= step) {
        await clock.advance(Math.min(step, left));
        await settle();
      }
    },
    settle,
    async stop() {
      await incidents.stop();
      await pipeline.stop();
    },
  };
}
