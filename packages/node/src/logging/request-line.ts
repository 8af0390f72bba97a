import { pino } from 'pino';
import { createMonotonicWallClock, type IsoClock } from './clock.js';

/**
 * Hand-built request lines: the one line per request that the HTTP adapters write is serialised here as a string
 * with a fixed shape instead of through pino's generic object serialiser, and written to the logger's own
 * destination. The output is the same JSON pino would write for the same fields (tested byte for byte).
 */

/** pino's numeric level of each request-line level. */
export const REQUEST_LINE_LEVELS = { info: 30, warn: 40, error: 50 } as const;

/** The request a line is written for: the fields of the request line that the request itself carries. */
export interface RequestLineSubject {
  /** The request context (`request_id`, `user_id`, trace ids, ...), written first. */
  readonly context: object;
  /**
   * The request id when Vigil generated it (a UUID: nothing to escape or scrub), else undefined. A context value that
   * is this very string is written without the escaping scan.
   */
  readonly generatedRequestId: string | undefined;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly userAgent: string | undefined;
}

/** Writes one request line for the logger it was created for; returns false when the caller must use the logger instead. */
export interface RequestLineWriter {
  /** The logger this writer serialises for (child loggers inherit the property but are not the owner). */
  readonly owner: object;
  /**
   * Writes `{"level","timestamp",service,environment,...context,method,route,path,status_code,duration_ms,client_ip,
   * user_agent?[,slow,slow_threshold_ms],"message"}`. Returns false, having written nothing, when a context value is
   * not a string, number or boolean (the caller then logs through pino).
   *
   * `clientIp` must come from the client-IP resolver (a socket address or an `isIP`-checked hop, or `unknown`): it is
   * written as it is. `monotonicMs` is `performance.now()` at the end of the request, from which the timestamp is
   * derived (one clock read fewer per request).
   */
  write(
    level: 30 | 40 | 50,
    message: string,
    request: RequestLineSubject,
    route: string,
    statusCode: number,
    durationMs: number,
    clientIp: string,
    slowThresholdMs: number | undefined,
    monotonicMs: number,
  ): boolean;
  /** Follows the logger's level (pino `levelVal`); `createLogger()` calls it on every `level-change` of the owner. */
  setLevel(levelVal: number): void;
}

/** Symbol under which `createLogger()` attaches the writer to its logger. */
export const REQUEST_LINE_WRITER = Symbol.for('vigil.requestLineWriter');

/** Field names of the request line after the context; context keys with these names are left out, as pino would. */
const FIXED_KEYS = new Set(['method', 'route', 'path', 'status_code', 'duration_ms', 'client_ip', 'user_agent', 'slow', 'slow_threshold_ms']);

/**
 * True when `value` can be written between quotes as it is: nothing JSON would escape (control characters, `"`, `\`,
 * lone surrogates) and nothing that may hold a secret (`=`, `://`). A char-code loop: a regex here was the largest
 * single cost of the line.
 */
function isPlain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3d || (c >= 0xd800 && c <= 0xdfff)) return false;
    if (c === 0x3a && value.charCodeAt(i + 1) === 0x2f && value.charCodeAt(i + 2) === 0x2f) return false;
  }
  return true;
}

// Context keys seen so far, serialised (`,"key":`), or null for censored keys; bounded so odd contexts cannot grow it.
const MAX_CACHED_KEYS = 64;

/** Options of {@link createRequestLineWriter}. */
export interface RequestLineWriterOptions {
  service: string;
  environment: string;
  /** The logger's numeric level (pino `levelVal`) at creation; later changes come through `setLevel()`. */
  levelVal: number;
  /** The destination the logger writes to. */
  stream: { write(line: string): unknown };
  /** The ISO clock shared with the logger's own lines. */
  clock: IsoClock;
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
  const { stream, clock, scrubString, isSensitiveKey, censor } = options;
  let minLevel = options.levelVal;
  const wallClock = createMonotonicWallClock();
  // Closes the timestamp string, then the logger's base bindings as pino serialises them.
  const base = `","service":${JSON.stringify(options.service)},"environment":${JSON.stringify(options.environment)}`;
  // Per-level parts are kept in arrays indexed by (level - 30) / 10: info, warn, error.
  const heads = Object.keys(REQUEST_LINE_LEVELS).map((name) => `{"level":"${name}","timestamp":"`);
  const censored = JSON.stringify(censor);

  const keyParts = new Map<string, string | null>();
  const keyPart = (key: string): string | null => {
    let part = keyParts.get(key);
    if (part === undefined) {
      part = FIXED_KEYS.has(key) || isSensitiveKey(key) ? null : `,${isPlain(key) ? `"${key}"` : JSON.stringify(key)}:`;
      if (keyParts.size < MAX_CACHED_KEYS) keyParts.set(key, part);
    }
    return part;
  };

  const str = (value: string): string => {
    if (isPlain(value)) return `"${value}"`;
    return JSON.stringify(value.includes('://') || value.includes('=') ? scrubString(value) : value);
  };
  /** A string value's JSON form without its quotes (for values between quotes that belong to cached parts). */
  const inner = (value: string): string => (isPlain(value) ? value : str(value).slice(1, -1));
  const num = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');
  // `,"message":"..."}\n` of the last message written at each level: the adapters use one message per level, so
  // this is an identity check per line.
  const tailMessages: (string | undefined)[] = [undefined, undefined, undefined];
  const tailParts = ['', '', ''];
  const tailOf = (i: number, message: string): string => {
    if (tailMessages[i] !== message) {
      tailMessages[i] = message;
      tailParts[i] = `,"message":${str(message)}}\n`;
    }
    return tailParts[i]!;
  };

  /** Serialises the context's fields as `,"k":v...`, or returns undefined when a value is not a plain scalar. */
  const contextPart = (context: object, generatedId: string | undefined): string | undefined => {
    let out = '';
    for (const key in context) {
      const value = (context as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const k = keyPart(key);
      if (k === null) {
        // A fixed field of the line wins over a context key of the same name (as in pino's merge); others are censored.
        if (!FIXED_KEYS.has(key)) out += `,${isPlain(key) ? `"${key}"` : JSON.stringify(key)}:${censored}`;
      } else if (typeof value === 'string') out += `${k}"${value === generatedId ? value : inner(value)}"`;
      else if (typeof value === 'number') out += `${k}${num(value)}`;
      else if (typeof value === 'boolean') out += `${k}${value}`;
      else return undefined;
    }
    return out;
  };

  // Parts that repeat from line to line, serialised once. Bounded: routes are (the series cap bounds them for metrics,
  // custom node:http resolvers might not), status codes are three digits.
  const MAX_CACHED_ROUTES = 2000;
  // `,"method":"GET","route":"/users/:id","path":"` by route, then method (the path's opening quote included).
  const methodRouteParts = new Map<string, Map<string, string>>();
  const methodRoutePart = (method: string, route: string): string => {
    let byMethod = methodRouteParts.get(route);
    let part = byMethod?.get(method);
    if (part !== undefined) return part;
    part = `,"method":${str(method)},"route":${str(route)},"path":"`;
    if (!byMethod && methodRouteParts.size < MAX_CACHED_ROUTES) methodRouteParts.set(route, (byMethod = new Map()));
    byMethod?.set(method, part);
    return part;
  };
  // `","status_code":200,"duration_ms":` by status code (the path's closing quote included).
  const statusParts: string[] = [];
  const statusPart = (statusCode: number): string => {
    const cacheable = Number.isInteger(statusCode) && statusCode >= 0 && statusCode < 1000;
    let part = cacheable ? statusParts[statusCode] : undefined;
    if (part === undefined) {
      part = `","status_code":${num(statusCode)},"duration_ms":`;
      if (cacheable) statusParts[statusCode] = part;
    }
    return part;
  };
  // `{"level":"info","timestamp":"...","service":...,"environment":...` for the current millisecond, per level.
  const prefixMs = [Number.NaN, Number.NaN, Number.NaN];
  const prefixes = ['', '', ''];
  const prefix = (i: number, monotonicMs: number): string => {
    const epochMs = Math.trunc(wallClock(monotonicMs));
    if (prefixMs[i] !== epochMs) {
      prefixMs[i] = epochMs;
      prefixes[i] = `${heads[i]}${clock.at(epochMs)}${base}`;
    }
    return prefixes[i]!;
  };

  return {
    owner,
    write(level, message, request, route, statusCode, durationMs, clientIp, slowThresholdMs, monotonicMs) {
      if (level < minLevel) return true;
      const ctx = contextPart(request.context, request.generatedRequestId);
      if (ctx === undefined) return false;
      const i = (level - 30) / 10;
      const tail = tailOf(i, message);
      let line = `${prefix(i, monotonicMs)}${ctx}${methodRoutePart(request.method, route)}${inner(request.path)}${statusPart(statusCode)}${formatMillis(durationMs)},"client_ip":"${clientIp}`;
      const userAgent = request.userAgent;
      if (userAgent !== undefined) line += `","user_agent":"${inner(userAgent)}`;
      line += slowThresholdMs === undefined ? `"${tail}` : `","slow":true,"slow_threshold_ms":${num(slowThresholdMs)}${tail}`;
      stream.write(line);
      return true;
    },
    setLevel(levelVal) {
      minLevel = levelVal;
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
 * Formats a duration already rounded to microseconds (`Math.round(ms * 1000) / 1000`) exactly as `String()` would,
 * without the general double-to-string conversion: integer milliseconds, a dot and the trimmed fraction.
 */
export function formatMillis(value: number): string {
  const micros = Math.round(value * 1000);
  // Outside this range (or for values with more precision) String() may choose another form: let it.
  if (!(micros >= 0 && micros < 1e15) || micros / 1000 !== value) return Number.isFinite(value) ? String(value) : 'null';
  const whole = Math.floor(micros / 1000);
  let frac = micros - whole * 1000;
  if (frac === 0) return String(whole);
  let digits = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const f = String(frac);
  return `${whole}.${f.length < digits ? '0'.repeat(digits - f.length) : ''}${f}`;
}
