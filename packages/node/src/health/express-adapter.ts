import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthEndpoints } from './endpoints.js';
import { createNodeHealthHandler, type HealthAdapterOptions } from './node-http-adapter.js';

/** An Express-compatible middleware `(req, res, next)` answering the health paths and passing on every other request. */
export type ExpressHealthMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Creates Express middleware (a router in effect) for the health endpoints. Mount it with `app.use(router)`
 * and `prefix`, or with `app.use('/api/v1', router)`: Express strips the mount path before it runs.
 *
 * @example
 * app.use(createExpressHealthRouter(createHealthEndpoints({ registry }), { prefix: '/api/v1' }));
 */
export function createExpressHealthRouter(
  endpoints: HealthEndpoints,
  options: HealthAdapterOptions = {},
): ExpressHealthMiddleware {
  const handler = createNodeHealthHandler(endpoints, options);
  return (req, res, next) => {
    void handler(req, res, next);
  };
}
