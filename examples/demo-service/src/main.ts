/**
 * Entry point of the demo service (`npm start` runs it through scripts/start.mjs): starts the API, prints
 * its URLs and shuts down gracefully on SIGTERM/SIGINT.
 */
import { createShutdownCoordinator } from '@vigil/node';
import { startDemoService } from './app.js';

const demo = await startDemoService({ logRequests: process.env.LOG_REQUESTS === '1' });
const shutdown = createShutdownCoordinator({
  registry: demo.registry,
  servers: [demo.server],
  // Long enough for one readiness probe period in k8s (periodSeconds 5); override with READINESS_DELAY_MS.
  readinessDelayMs: Number(
    process.env.READINESS_DELAY_MS ?? (process.env.NODE_ENV === 'production' ? 6000 : 500),
  ),
});
for (const c of demo.cleanups) shutdown.addHook(c.name, c.run, { timeoutMs: 3000 });
shutdown.handleSignals();

const { storage, cache } = demo.mode;
process.stdout.write(
  [
    `Vigil demo service listening on ${demo.url} (storage: ${storage}, cache: ${cache})`,
    `  API:              ${demo.urls.api}`,
    `  Metrics:          ${demo.urls.metrics}`,
    `  Health:           ${demo.urls.health}`,
    `  Health detailed:  ${demo.urls.detailed}`,
    `  Readiness:        ${demo.urls.ready}`,
    `  Liveness:         ${demo.urls.live}`,
    `  Startup:          ${demo.urls.startup}`,
    storage === 'memory'
      ? '  (set DATABASE_URL and REDIS_URL to check a real PostgreSQL and Redis)'
      : '',
    '',
  ]
    .filter((l, i, a) => l !== '' || i === a.length - 1)
    .join('\n'),
);
