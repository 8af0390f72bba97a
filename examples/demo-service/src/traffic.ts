/**
 * A traffic generator for the demo service: a steady mix of reads, logins (some with a wrong
 * password), order creation, unknown users (404) and bad payloads (400), so the dashboards and the
 * default rule pack have something to show. Run: `node --import tsx examples/demo-service/src/traffic.ts http://127.0.0.1:3000`.
 */

/** Options of `startTraffic`. */
export interface TrafficOptions {
  /** Base URL of the demo service. */
  readonly baseUrl: string;
  /** Requests per second (default 5). */
  readonly ratePerSecond?: number;
  /** Share of requests that are made to fail (default 0.1). */
  readonly errorShare?: number;
  /** Random source in [0, 1) (default Math.random); tests pass a seeded one. */
  readonly random?: () => number;
}

/** A running traffic generator; `stop()` ends it and resolves when in-flight requests settle. */
export interface Traffic {
  /** Requests sent, by HTTP status (0 = network error). */
  readonly counts: Map<number, number>;
  stop(): Promise<void>;
}

/** Starts sending a mix of successful and failing requests to the demo service. */
export function startTraffic(options: TrafficOptions): Traffic {
  const rate = options.ratePerSecond ?? 5;
  const errorShare = options.errorShare ?? 0.1;
  const random = options.random ?? Math.random;
  const base = options.baseUrl.replace(/\/$/, '');
  const counts = new Map<number, number>();
  const inflight = new Set<Promise<void>>();
  let token: string | undefined;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    auth?: string,
  ): Promise<Response | undefined> => {
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      return res;
    } catch {
      counts.set(0, (counts.get(0) ?? 0) + 1);
      return undefined;
    }
  };

  const one = async (): Promise<void> => {
    const r = random();
    if (r < errorShare) {
      const kind = Math.floor((r / errorShare) * 3);
      if (kind === 0) await call('GET', `/api/users/${900_000 + Math.floor(random() * 1000)}`);
      else if (kind === 1)
        await call('POST', '/api/login', { email: 'ada@example.com', password: 'wrong' });
      else await call('POST', '/api/orders', { item: '' }, token);
      return;
    }
    const pick = random();
    if (pick < 0.4) await call('GET', '/api/users');
    else if (pick < 0.6) await call('GET', `/api/users/${1 + Math.floor(random() * 3)}`);
    else if (pick < 0.8) await call('GET', '/api/orders');
    else if (!token) {
      const res = await call('POST', '/api/login', {
        email: 'ada@example.com',
        password: 'analytical-engine',
      });
      if (res?.ok) token = ((await res.json()) as { token?: string }).token;
    } else
      await call(
        'POST',
        '/api/orders',
        { item: 'widget', quantity: 1 + Math.floor(random() * 5) },
        token,
      );
  };

  const timer = setInterval(() => {
    const p = one().finally(() => inflight.delete(p));
    inflight.add(p);
  }, 1000 / rate);
  timer.unref?.();

  return {
    counts,
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
    },
  };
}

// Run directly: send traffic until interrupted.
if (import.meta.url === `file://${process.argv[1]}`) {
  const traffic = startTraffic({
    baseUrl: process.argv[2] ?? 'http://127.0.0.1:3000',
    ratePerSecond: Number(process.env.TRAFFIC_RPS ?? 5),
  });
  const keepAlive = setInterval(() => undefined, 1 << 30);
  for (const s of ['SIGINT', 'SIGTERM'] as const)
    process.on(
      s,
      () =>
        void traffic.stop().then(() => {
          clearInterval(keepAlive);
          process.exit(0);
        }),
    );
}
