import type { NotifyFailureReason } from './contract.js';
import { NotifyError } from './notify-errors.js';
import { scrubSecrets } from './secret.js';

/** The subset of WHATWG `fetch` the notifiers use; injectable for tests and custom agents. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal; redirect?: 'follow' | 'manual' }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** What one HTTP delivery attempt needs. */
export interface PostRequest {
  /** e.g. `webhook[0]`: used in error messages instead of the (secret) URL. */
  readonly what: string;
  readonly url: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchLike;
  /** Secret values that must be scrubbed from any error message. */
  readonly secrets: readonly (string | undefined)[];
  /** Wall clock in ms, to turn an HTTP-date Retry-After into a delay. */
  readonly now?: () => number;
  readonly followRedirects?: boolean;
}

/**
 * Parses a Retry-After header value (delta-seconds or an HTTP date) into milliseconds from `nowMs`;
 * undefined when absent or unparseable. Never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Maps an HTTP status to a failure reason and whether retrying can help (Alertmanager: 5xx retry). */
export function classifyStatus(status: number): { reason: NotifyFailureReason; retryable: boolean } {
  if (status === 429) return { reason: 'rateLimited', retryable: true };
  if (status >= 500) return { reason: 'serverError', retryable: true };
  if (status === 408) return { reason: 'timeout', retryable: true };
  if (status >= 400) return { reason: 'clientError', retryable: false };
  return { reason: 'other', retryable: false };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ESOCKETTIMEDOUT']);

/**
 * Classifies a thrown transport error (fetch rejection, socket error, abort) into a failure
 * reason. An abort caused by a timeout signal is `timeout`; an abort by the caller is `other` and
 * not retryable (the caller is shutting down or gave up).
 */
export function classifyTransportError(err: unknown, signal?: AbortSignal): { reason: NotifyFailureReason; retryable: boolean } {
  const chain: unknown[] = [];
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) chain.push(e);
  for (const e of chain) {
    const name = (e as { name?: string }).name;
    const code = (e as { code?: string }).code;
    if (name === 'TimeoutError' || (code && TIMEOUT_CODES.has(code))) return { reason: 'timeout', retryable: true };
    if (name === 'AbortError') {
      const why = signal?.reason as { name?: string } | undefined;
      if (why && why.name === 'TimeoutError') return { reason: 'timeout', retryable: true };
      return { reason: 'other', retryable: false };
    }
    if (code && CONNECTION_CODES.has(code)) return { reason: 'connection', retryable: true };
  }
  // fetch's generic "fetch failed" with no recognisable cause is still a transport problem.
  return { reason: 'connection', retryable: true };
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: string }).code;
    const msg = (e as { message?: string }).message ?? String(e);
    parts.push(code ? `${msg} (${code})` : msg);
  }
  return parts.join(': ');
}

/**
 * POSTs `body` once and resolves with the response text on 2xx. Otherwise rejects with a
 * {@link NotifyError} classified by status or transport error, with Retry-After honoured on 429 and
 * 503, and with every secret (URL, keys) scrubbed from its message.
 */
export async function postOnce(req: PostRequest): Promise<string> {
  const doFetch: FetchLike = req.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const now = req.now ?? Date.now;
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await doFetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil', ...req.headers },
      body: req.body,
      signal: req.signal,
      redirect: req.followRedirects === false ? 'manual' : 'follow',
    });
  } catch (err) {
    const c = classifyTransportError(err, req.signal);
    // The cause is dropped on purpose: undici errors carry the URL (and so the token) in places.
    throw new NotifyError(scrubSecrets(`${req.what}: request failed: ${describe(err)}`, req.secrets), c);
  }
  let text = '';
  try {
    text = await res.text();
  } catch {
    // A body we cannot read does not change the outcome the status gives.
  }
  if (res.status >= 200 && res.status < 300) return text;
  const c = classifyStatus(res.status);
  const retryAfterMs =
    res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after'), now()) : undefined;
  const snippet = text.length > 256 ? `${text.slice(0, 256)}…` : text;
  throw new NotifyError(
    scrubSecrets(`${req.what}: unexpected status code ${res.status}${snippet ? `: ${snippet}` : ''}`, req.secrets),
    { ...c, status: res.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  );
}
