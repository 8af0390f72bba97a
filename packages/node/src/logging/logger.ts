import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from '../health/redact-secrets.js';
import type { RequestContextStore } from './request-context.js';
import { createIsoClock } from './clock.js';
import { createRequestLineWriter, REQUEST_LINE_WRITER, streamNeedsMetadata } from './request-line.js';

/** Log levels, lowest to highest. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Options of {@link createLogger}. */
export interface LoggerFactoryOptions {
  /** Service (application) name on every line. */
  service: string;
  /** Environment on every line. Default `process.env.NODE_ENV` or `development`. */
  environment?: string;
  /** Minimum level. Default: `LOG_LEVEL`, else `debug` in development, `info` otherwise. */
  level?: LogLevel;
  /** Request context whose fields (request_id, user_id, trace_id, span_id) go on every line. */
  context?: RequestContextStore;
  /** Where lines go: a pino destination or transport stream. Default stdout. */
  destination?: DestinationStream;
  /** Extra exact key paths to censor, in pino's redact syntax (on top of {@link DEFAULT_REDACTED_KEYS}). */
  redact?: readonly string[];
  /** Extra pino options (merged last; `redact`, `formatters`, `mixin` are Vigil's). */
  pino?: Omit<LoggerOptions, 'redact' | 'formatters' | 'mixin' | 'level'>;
}

/** A pino logger whose `flush()` returns a promise: register it as a shutdown cleanup hook. */
export type VigilLogger = Omit<Logger, 'flush'> & {
  /** Writes out buffered lines; resolves when done (never rejects). */
  flush(): Promise<void>;
};

/**
 * Keys whose values are replaced by `[REDACTED]` by default, matched case-insensitively at the top level of a log
 * object and two levels down (so `req.headers.authorization` is covered).
 */
export const DEFAULT_REDACTED_KEYS: readonly string[] = [
  'password', 'passwd', 'pwd', 'token', 'access_token', 'refresh_token', 'id_token', 'secret', 'client_secret',
  'api_key', 'apikey', 'x-api-key', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'private_key',
  'connectionstring', 'connection_string', 'databaseurl', 'database_url', 'redisurl', 'redis_url',
];

/** Level by environment: `LOG_LEVEL` wins, then debug in development, info elsewhere. */
export function defaultLogLevel(environment: string): LogLevel {
  const fromEnv = process.env.LOG_LEVEL as LogLevel | undefined;
  if (fromEnv && ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(fromEnv)) return fromEnv;
  return environment === 'development' ? 'debug' : 'info';
}

const REDACTED = '[REDACTED]';
const SENSITIVE = new Set(DEFAULT_REDACTED_KEYS);

function isSensitive(key: string): boolean {
  return SENSITIVE.has(key) || SENSITIVE.has(key.toLowerCase());
}

function scrubString(value: string): string {
  // Only strings that can hold a connection string or credential pair are scanned, to keep logging cheap.
  return value.includes('://') || value.includes('=') ? redactSecrets(value) : value;
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 0 && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return scrubObject(value as Record<string, unknown>, depth - 1);
  }
  return value;
}

/** Returns `obj` itself when nothing needs censoring, else a censored copy: the caller's objects are never mutated. */
function scrubObject(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in obj) {
    const v = obj[key];
    const next = isSensitive(key) ? (v === undefined ? v : REDACTED) : scrubValue(v, depth);
    if (next !== v) {
      out ??= { ...obj };
      out[key] = next;
    }
  }
  return out ?? obj;
}

// Top-level keys of the request line (context fields included), as named in pino redact paths.
const REQUEST_LINE_KEYS = new Set(['level', 'timestamp', 'service', 'environment', 'message', 'request_id', 'user_id', 'trace_id', 'span_id',
  'method', 'route', 'path', 'status_code', 'duration_ms', 'client_ip', 'user_agent', 'slow', 'slow_threshold_ms']);

/** True when a pino redact path may censor a field of the request line (wildcards and brackets count as maybe). */
function touchesRequestLine(path: string): boolean {
  const head = /^[^.[]*/.exec(path)![0];
  return head === '' || head.includes('*') || REQUEST_LINE_KEYS.has(head);
}

/**
 * Creates a JSON logger (pino) whose lines carry `timestamp` (ISO-8601), `level` (as a word), `service`,
 * `environment`, `message`, and — inside a request — `request_id`, `user_id`, `trace_id`, `span_id` from the context
 * store. Credentials are censored by key ({@link DEFAULT_REDACTED_KEYS}, three levels deep) and connection strings /
 * `password=` pairs inside string values are scrubbed; the objects you pass are never modified.
 *
 * @example
 * const context = createRequestContextStore();
 * const logger = createLogger({ service: 'api', context });
 * logger.info({ order_id: 7 }, 'order placed');
 */
export function createLogger(options: LoggerFactoryOptions): VigilLogger {
  const environment = options.environment ?? process.env.NODE_ENV ?? 'development';
  const context = options.context;
  const clock = createIsoClock();
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const logger = pino(
    {
      ...options.pino,
      level: options.level ?? defaultLogLevel(environment),
      messageKey: 'message',
      base: { service: options.service, environment },
      timestamp: () => `,"timestamp":"${clock.now()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrubObject(obj, 2),
      },
      // Key-based censoring is done in the log formatter (pino's wildcard redaction costs ~6x a log call).
      redact: options.redact?.length ? { paths: [...options.redact], censor: REDACTED } : undefined,
      hooks: {
        logMethod(args, method) {
          // Message strings are scrubbed too (e.g. an error message quoting a connection string).
          for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (typeof a === 'string' && (a.includes('://') || a.includes('='))) (args as unknown[])[i] = redactSecrets(a);
          }
          return method.apply(this, args);
        },
      },
      mixin: context
        ? () => {
            const ctx = context.get();
            return ctx ? { ...ctx } : {};
          }
        : undefined,
    },
    destination,
  );
  // The HTTP adapters' request line is written by hand (pino's generic serialiser was most of the per-request cost)
  // when nothing but Vigil's own options shapes this logger's output.
  const custom = (options.pino && Object.keys(options.pino).length > 0) || (options.redact ?? []).some(touchesRequestLine);
  if (!custom && !streamNeedsMetadata(destination)) {
    const writer = createRequestLineWriter(logger, {
      service: options.service,
      environment,
      levelVal: logger.levelVal,
      stream: destination as { write(line: string): unknown },
      clock,
      scrubString,
      isSensitiveKey: isSensitive,
      censor: REDACTED,
    });
    // Child loggers share the parent's listeners and pass themselves as the last argument.
    logger.on('level-change', (_label, levelVal, _previousLabel, _previousVal, instance) => {
      if (instance === undefined || instance === logger) writer.setLevel(levelVal);
    });
    Object.defineProperty(logger, REQUEST_LINE_WRITER, { value: writer });
  }
  const flushOnce = logger.flush.bind(logger);
  const vigil = logger as unknown as VigilLogger;
  vigil.flush = () =>
    new Promise<void>((resolve) => {
      try {
        flushOnce(() => resolve());
      } catch {
        resolve();
      }
    });
  return vigil;
}

/** Security events logger: a child of an app logger that stamps `log_type: "security"` and the event type on each line. */
export interface SecurityLogger {
  /** Logs a security event as a warning (`event_type`, details with secrets censored). */
  event(type: string, details?: Record<string, unknown>, message?: string): void;
}

/**
 * Creates the security logger (guide 004's `security_logger`): `{ log_type: 'security', event_type, ... }` lines
 * at warn level on the given logger.
 */
export function createSecurityLogger(logger: Pick<Logger, 'child'> | Pick<VigilLogger, 'child'>): SecurityLogger {
  const child = (logger as Logger).child({ log_type: 'security' });
  return {
    event(type, details = {}, message) {
      child.warn({ event_type: type, ...details }, message ?? `security event: ${type}`);
    },
  };
}
