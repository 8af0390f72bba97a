// HTTP access to the monitor's APIs: JSON in and out, the CSRF token on every state-changing
// request, and one place that notices an expired session (401) so the app can show the login.

/** An error answered by the server (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => undefined;

/** Sets the CSRF token sent as `X-CSRF-Token` on every non-GET request. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Registers what to do when a request answers 401 (show the login screen). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** Calls `path` and returns its JSON body; throws ApiError on a non-2xx answer. */
export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  return apiResponse<T>(fetch(path, { method, headers, credentials: 'same-origin', ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) }), init);
}

/** Reads a response the way `api` does (JSON body, ApiError on a non-2xx answer); for a request started elsewhere (boot.ts). */
export async function apiResponse<T = unknown>(response: Promise<Response>, init: { quiet401?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await response;
  } catch (err) {
    throw new ApiError(`cannot reach Vigil: ${(err as Error).message}`, 0, 'NETWORK');
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; message?: string; code?: string; errorType?: string };
    if (res.status === 401 && !init.quiet401) onUnauthenticated();
    throw new ApiError(b.error ?? b.message ?? (typeof body === 'string' && body ? body : `${res.status} ${res.statusText}`), res.status, b.code ?? b.errorType ?? String(res.status));
  }
  return body as T;
}

/** Unwraps a Prometheus API v1 answer (`{status, data}`). */
export async function promApi<T = unknown>(path: string): Promise<T> {
  const r = await api<{ status: string; data: T }>(path);
  return r.data;
}
