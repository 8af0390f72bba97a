import { pino } from 'pino';

/**
 * Hand-built request lines: the one line per request that the HTTP adapters write is serialised here as a string
 * with a fixed shape instead of through pino's generic object serialiser, and written to the logger's own
 * destination. The output is the same JSON pino would write for the same fields (tested byte for byte).
 */

/** pino's numeric level of each request-line level. */
export const REQUEST_LINE_LEVELS = { info: 30, warn: 40, error: 50 } as const;

/** Writes one request line for the logger it was created for; returns false when the caller must use the logger instead. */
export interface RequestLineWriter {
  /** The logger this writer serialises for (child loggers inherit the property but are not the owner). */
  readonly owner: object;
  /**
   * Writes `{"level","timestamp",service,environment,...context,method,route,path,status_code,duration_ms,client_ip,
   * user_agent?[,slow,slow_threshold_ms],"message"}`. Returns false, having written nothing, when a context value is
   * not a string, number or boolean (the caller then logs through pino).
   */
  write(
    level: 30 | 40 | 50,
    message: string,
    context: object,
    method: string,
    route: string,
    path: string,
    statusCode: number,
    durationMs: number,
    clientIp: string,
    userAgent: string | undefined,
    slowThresholdMs: number | undefined,
  ): boolean;
}

/** Symbol under which `createLogger()` attaches the writer to its logger. */
export const REQUEST_LINE_WRITER = Symbol.for('vigil.requestLineWriter');

/** Field names of the request line after the context; context keys with these names are left out, as pino would. */
const FIXED_KEYS = new Set(['method', 'route', 'path', 'status_code', 'duration_ms', 'client_ip', 'user_agent', 'slow', 'slow_threshold_ms']);

// A string needs the slow path when JSON would escape something, or when it may hold a secret (`=`, `://`).
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff=]|:\/\//;

/** Options of {@link createRequestLineWriter}. */
export interface RequestLineWriterOptions {
  service: string;
  environment: string;
  /** The logger's current numeric level (pino `levelVal`). */
  levelVal: () => number;
  /** The destination the logger writes to. */
  stream: { write(line: string): unknown };
  /** Current ISO timestamp (shared with the logger's own lines). */
  isoNow: () => string;
  /** Scrubs secrets from a string value (the logger's own string scrubber). */
  scrubString: (value: string) => string;
  /** True for keys whose values the logger censors. */
  isSensitiveKey: (key: string) => boolean;
  /** Replacement for censored values. */
  censor: string;
}

/**
 * Creates the request-line writer for one pino logger created by `createLogger()`. It must only be used when the
 * logger's output depends on nothing but the options given here (no extra pino options, redact paths or
 * metadata-hungry multistreams): `createLogger()` decides that.
 */
export function createRequestLineWriter(owner: object, options: RequestLineWriterOptions): RequestLineWriter {
  const { levelVal, stream, isoNow, scrubString, isSensitiveKey, censor } = options;
  // Closes the timestamp string, then the logger's base bindings as pino serialises them.
  const base = `","service":${JSON.stringify(options.service)},"environment":${JSON.stringify(options.environment)}`;
  const heads: Record<number, string> = {};
  for (const [name, value] of Object.entries(REQUEST_LINE_LEVELS)) heads[value] = `{"level":"${name}","timestamp":"`;
  const tails = new Map<string, string>();
  const censored = JSON.stringify(censor);

  const str = (value: string): string => {
    if (!NEEDS_CARE.test(value)) return `"${value}"`;
    return JSON.stringify(value.includes('://') || value.includes('=') ? scrubString(value) : value);
  };
  const num = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

  /** Serialises the context's fields as `,"k":v...`, or returns undefined when a value is not a plain scalar. */
  const contextPart = (context: object): string | undefined => {
    let out = '';
    for (const key in context) {
      const value = (context as Record<string, unknown>)[key];
      if (value === undefined || FIXED_KEYS.has(key)) continue;
      const k = NEEDS_CARE.test(key) ? JSON.stringify(key) : `"${key}"`;
      if (isSensitiveKey(key)) out += `,${k}:${censored}`;
      else if (typeof value === 'string') out += `,${k}:${str(value)}`;
      else if (typeof value === 'number') out += `,${k}:${num(value)}`;
      else if (typeof value === 'boolean') out += `,${k}:${value}`;
      else return undefined;
    }
    return out;
  };

  return {
    owner,
    write(level, message, context, method, route, path, statusCode, durationMs, clientIp, userAgent, slowThresholdMs) {
      if (level < levelVal()) return true;
      const ctx = contextPart(context);
      if (ctx === undefined) return false;
      let tail = tails.get(message);
      if (tail === undefined) {
        tail = `,"message":${str(message)}}\n`;
        tails.set(message, tail);
      }
      let line = `${heads[level]}${isoNow()}${base}${ctx},"method":${str(method)},"route":${str(route)},"path":${str(path)},"status_code":${num(statusCode)},"duration_ms":${num(durationMs)},"client_ip":${str(clientIp)}`;
      if (userAgent !== undefined) line += `,"user_agent":${str(userAgent)}`;
      if (slowThresholdMs !== undefined) line += `,"slow":true,"slow_threshold_ms":${num(slowThresholdMs)}`;
      stream.write(line + tail);
      return true;
    },
  };
}

/** The writer attached to `logger` by `createLogger()`, or undefined (other loggers, child loggers). */
export function requestLineWriterOf(logger: object | undefined): RequestLineWriter | undefined {
  if (!logger) return undefined;
  const writer = (logger as { [REQUEST_LINE_WRITER]?: RequestLineWriter })[REQUEST_LINE_WRITER];
  return writer && writer.owner === logger ? writer : undefined;
}

/** True when pino must be told the level and object of each line (pino.multistream), which the writer does not do. */
export function streamNeedsMetadata(stream: object): boolean {
  return (stream as Record<symbol, unknown>)[pino.symbols.needsMetadataGsym] === true;
}

/**
 * Returns a clock of ISO-8601 timestamps that formats a new string only when the millisecond changes (busy servers
 * log many lines per millisecond).
 */
export function createIsoClock(now: () => number = Date.now): () => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  };
}
