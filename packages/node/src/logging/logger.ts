import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from '../health/redact-secrets.js';
import type { RequestContextStore } from './request-context.js';

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
  /** Extra key paths to censor, in pino's redact syntax (added to the defaults). */
  redact?: readonly string[];
  /** Extra pino options (merged last; `redact`, `formatters`, `mixin` are Vigil's). */
  pino?: Omit<LoggerOptions, 'redact' | 'formatters' | 'mixin' | 'level'>;
}

/** A pino logger whose `flush()` returns a promise: register it as a shutdown cleanup hook. */
export type VigilLogger = Omit<Logger, 'flush'> & {
  /** Writes out buffered lines; resolves when done (never rejects). */
  flush(): Promise<void>;
};

/** Key paths censored by default: credentials in headers, bodies and options. */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'password', '*.password', 'passwd', '*.passwd', 'token', '*.token', 'access_token', '*.access_token',
  'refresh_token', '*.refresh_token', 'secret', '*.secret', 'api_key', '*.api_key', 'apiKey', '*.apiKey',
  'authorization', '*.authorization', 'cookie', '*.cookie', 'set-cookie', '*["set-cookie"]',
  'connectionString', '*.connectionString', 'connection_string', '*.connection_string', 'databaseUrl', '*.databaseUrl',
  'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Level by environment: `LOG_LEVEL` wins, then debug in development, info elsewhere. */
export function defaultLogLevel(environment: string): LogLevel {
  const fromEnv = process.env.LOG_LEVEL as LogLevel | undefined;
  if (fromEnv && ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(fromEnv)) return fromEnv;
  return environment === 'development' ? 'debug' : 'info';
}

function scrubStrings(obj: Record<string, unknown>): Record<string, unknown> {
  for (const key in obj) {
    const v = obj[key];
    // Only strings that can hold a connection string or credential pair are scanned, to keep logging cheap.
    if (typeof v === 'string' && (v.includes('://') || v.includes('='))) obj[key] = redactSecrets(v);
  }
  return obj;
}

/**
 * Creates a JSON logger (pino) whose lines carry `timestamp` (ISO-8601), `level` (as a word), `service`,
 * `environment`, `message`, and — inside a request — `request_id`, `user_id`, `trace_id`, `span_id` from the context
 * store. Credentials are censored by key (authorization, cookie, password, token, secret, api key, connection
 * string) and connection strings / `password=` pairs inside string values are scrubbed.
 *
 * @example
 * const context = createRequestContextStore();
 * const logger = createLogger({ service: 'api', context });
 * logger.info({ order_id: 7 }, 'order placed');
 */
export function createLogger(options: LoggerFactoryOptions): VigilLogger {
  const environment = options.environment ?? process.env.NODE_ENV ?? 'development';
  const context = options.context;
  const logger = pino(
    {
      ...options.pino,
      level: options.level ?? defaultLogLevel(environment),
      messageKey: 'message',
      base: { service: options.service, environment },
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: scrubStrings,
      },
      redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])], censor: '[REDACTED]' },
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
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
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
