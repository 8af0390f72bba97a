/**
 * Label values shared by every HTTP adapter: the constant route of unmatched requests and method normalisation.
 */

/** Route label of requests that matched no route (404 scans, typos): one constant series instead of one per path. */
export const UNMATCHED_ROUTE = '<unmatched>';

/** Route label that absorbs new label sets once a metric hits its series cap. */
export const OVERFLOW_ROUTE = '<overflow>';

/** Method label of any method outside the standard set (OpenTelemetry's `_OTHER`). */
export const OTHER_METHOD = '_OTHER';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/**
 * Returns the method label for a raw request method: the upper-cased method when it is a standard HTTP method,
 * otherwise {@link OTHER_METHOD}, so arbitrary client-chosen methods cannot create series.
 */
export function normalizeMethod(method: string | undefined): string {
  // The common case without hashing: Node hands out the same method strings on every request.
  switch (method) {
    case 'GET':
    case 'POST':
    case 'HEAD':
    case 'PUT':
    case 'DELETE':
    case 'PATCH':
    case 'OPTIONS':
      return method;
  }
  if (!method) return OTHER_METHOD;
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : OTHER_METHOD;
}

interface CompiledRoute {
  template: string;
  regex: RegExp;
}

/**
 * Creates a matcher from route templates (`/users/:id`, `/files/*`) to use with plain node:http servers: it returns
 * the first template a path matches (query string ignored), or `undefined`. Templates are matched in order.
 *
 * @example
 * const match = createRouteMatcher(['/users/:id', '/health']);
 * match('/users/42?x=1'); // '/users/:id'
 */
export function createRouteMatcher(templates: readonly string[]): (path: string) => string | undefined {
  const compiled: CompiledRoute[] = templates.map((template) => {
    const pattern = template
      .split('/')
      .map((segment) => {
        if (segment === '*') return '.*';
        if (segment.startsWith(':')) return '[^/]+';
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { template, regex: new RegExp(`^${pattern}/?$`) };
  });
  return (path: string) => {
    const q = path.indexOf('?');
    const clean = q === -1 ? path : path.slice(0, q);
    for (const route of compiled) if (route.regex.test(clean)) return route.template;
    return undefined;
  };
}
