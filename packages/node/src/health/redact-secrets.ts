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
// key=value / key: value pairs, as in libpq keyword strings, environment dumps (`DB_PASSWORD=`) or log text: any
// key that contains a secret-looking word, optionally quoted. A value that starts with an auth scheme
// (`Authorization: Bearer …`) is left to AUTH_SCHEME, which keeps the scheme and removes the credential after it.
const KV_SECRET =
  /(["']?)\b([A-Za-z0-9_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|connection[_-]?string|database[_-]?url|redis[_-]?url|session(?:[_-]?id)?|authorization|cookie|credentials?)[A-Za-z0-9_-]*)\1(\s*[=:]\s*)(?!(?:bearer|basic|token|digest)\s)('[^']*'|"[^"]*"|[^\s,;&"'}]+)/gi;
// Authorization header values, in any letter case.
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
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
  /** What a secret is replaced with. Default `[REDACTED]`. */
  marker?: string;
}

/**
 * Returns `text` with secrets replaced by `[REDACTED]` (or `options.marker`): passwords in URLs, whole database/broker
 * connection strings (`postgres://…`, `redis://…`), pairs whose key contains a secret-looking word (`password=`,
 * `DB_PASSWORD=`, `session_id:`, `"api_key": "…"`, also in query strings), `Bearer`/`Basic` credentials, common token
 * shapes (JWT, Slack, GitHub, Stripe, AWS keys, PEM private keys) and any literal value listed in `options.secrets`.
 * Idempotent; never throws.
 *
 * @example
 * redactSecrets('connect postgres://app:hunter2@db:5432/app failed'); // 'connect postgres://[REDACTED] failed'
 */
export function redactSecrets(text: string, options: RedactOptions = {}): string {
  if (typeof text !== 'string' || text.length === 0) return typeof text === 'string' ? text : '';
  const marker = options.marker ?? REDACTED;
  let out = text;
  for (const secret of options.secrets ?? []) {
    if (secret && secret.length >= 3) out = out.split(secret).join(marker);
  }
  out = out.replace(CONNECTION_URL, (_m, scheme: string) => `${scheme}://${marker}`);
  out = out.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${marker}@`);
  out = out.replace(QUERY_SECRET, (_m, key: string) => `${key}${marker}`);
  out = out.replace(JSON_SECRET, (_m, key: string) => `${key}"${marker}"`);
  out = out.replace(KV_SECRET, (m, quote: string, key: string, sep: string, value: string) => {
    const bare = value.length >= 2 && (value[0] === '"' || value[0] === "'") ? value.slice(1, -1) : value;
    if (bare === marker) return m;
    const shown = value[0] === '"' ? `"${marker}"` : value[0] === "'" ? `'${marker}'` : marker;
    return `${quote}${key}${quote}${sep}${shown}`;
  });
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${marker}`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, marker);
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
