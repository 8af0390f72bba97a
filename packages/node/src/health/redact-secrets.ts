/**
 * Secret scrubbing for anything Vigil shows or logs: error messages, URLs, details.
 */

const REDACTED = '[REDACTED]';

// Database/broker URLs are connection strings as a whole: the host and user are sensitive too.
const CONNECTION_URL =
  /\b(postgres(?:ql)?|redis|rediss|mysql|mariadb|mongodb(?:\+srv)?|amqps?|mssql|sqlserver|jdbc:[a-z]+):\/\/[^\s"'<>]+/gi;
// Any other URL: only the password part of user:password@ is removed.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"'<>]*):([^\s@/"'<>]+)@/gi;
// Credentials in query strings (?token=..., &api_key=...).
const QUERY_SECRET =
  /([?&](?:access_token|refresh_token|id_token|token|api[_-]?key|apikey|key|secret|password|passwd|pwd|auth|signature|sig|client_secret)=)[^&\s"'#]*/gi;
// JSON-ish "password": "value".
const JSON_SECRET =
  /("(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|authorization|auth|connection[_-]?string|database[_-]?url|redis[_-]?url)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// key=value / key: value pairs, as in libpq keyword strings or log text.
const KV_SECRET =
  /\b(password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|connection[_-]?string|database[_-]?url|redis[_-]?url)(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s,;&]+)/gi;
// Authorization header values.
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/g;
// Well-known token shapes that may appear on their own.
const TOKEN_SHAPES = [
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, // JWT
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}/g, // Stripe-style
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

/** Options for {@link redactSecrets}. */
export interface RedactOptions {
  /** Literal secret values to remove wherever they appear (e.g. the actual database password). */
  secrets?: readonly string[];
}

/**
 * Returns `text` with secrets replaced by `[REDACTED]`: passwords in URLs, whole database/broker connection
 * strings (`postgres://…`, `redis://…`), `password=`/`token=`-style pairs (also in JSON and query strings),
 * `Bearer`/`Basic` credentials, common token shapes (JWT, Slack, GitHub, Stripe, AWS keys, PEM private keys)
 * and any literal value listed in `options.secrets`. Idempotent; never throws.
 *
 * @example
 * redactSecrets('connect postgres://app:hunter2@db:5432/app failed'); // 'connect postgres://[REDACTED] failed'
 */
export function redactSecrets(text: string, options: RedactOptions = {}): string {
  if (typeof text !== 'string' || text.length === 0) return typeof text === 'string' ? text : '';
  let out = text;
  for (const secret of options.secrets ?? []) {
    if (secret && secret.length >= 3) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(CONNECTION_URL, (_m, scheme: string) => `${scheme}://${REDACTED}`);
  out = out.replace(
    URL_USERINFO,
    (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`,
  );
  out = out.replace(QUERY_SECRET, `$1${REDACTED}`);
  out = out.replace(JSON_SECRET, `$1"${REDACTED}"`);
  out = out.replace(KV_SECRET, (m, key: string, sep: string, value: string) =>
    value === REDACTED || value === `"${REDACTED}"` ? m : `${key}${sep}${REDACTED}`,
  );
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

/** Returns a copy of `value` with every string inside (deeply) passed through {@link redactSecrets}. */
export function redactDeep<T>(value: T, options: RedactOptions = {}): T {
  if (typeof value === 'string') return redactSecrets(value, options) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, options)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, options);
    return out as T;
  }
  return value;
}
