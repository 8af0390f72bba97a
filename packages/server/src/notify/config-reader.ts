import { ReceiverConfigError } from './notify-errors.js';
import type { ReceiverSource } from './receiver-config.js';
import { createSecret, type Secret } from './secret.js';

type Path = readonly (string | number)[];

function fieldName(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

/**
 * Reads one YAML mapping of a receiver with strict checking: every key must be consumed (unknown
 * keys are errors, as Alertmanager's strict unmarshalling makes them) and type errors name the
 * file, line, column and field. Internal helper of the receiver parser.
 */
export class ConfigReader {
  readonly #seen = new Set<string>();
  constructor(
    readonly source: ReceiverSource,
    readonly path: Path,
    readonly map: Record<string, unknown>,
    /** Type name used in "field x not found in type …" messages. */
    readonly typeName: string,
  ) {}

  static of(source: ReceiverSource, path: Path, value: unknown, typeName: string): ConfigReader {
    if (value === null || value === undefined) return new ConfigReader(source, path, {}, typeName);
    if (typeof value !== 'object' || Array.isArray(value)) throw fail(source, path, `expected a mapping for ${typeName}`);
    return new ConfigReader(source, path, value as Record<string, unknown>, typeName);
  }

  error(key: string | Path, problem: string): ReceiverConfigError {
    const sub = typeof key === 'string' ? [...this.path, key] : [...this.path, ...key];
    return fail(this.source, sub, problem);
  }

  has(key: string): boolean {
    return this.map[key] !== undefined && this.map[key] !== null;
  }

  raw(key: string): unknown {
    this.#seen.add(key);
    return this.map[key];
  }

  string(key: string, def = ''): string {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.error(key, 'expected a string');
  }

  optString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : (this.raw(key), undefined);
  }

  bool(key: string, def: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    if (typeof v === 'boolean') return v;
    throw this.error(key, 'expected true or false');
  }

  uint(key: string, def: number): number {
    const v = this.raw(key);
    if (v === undefined || v === null) return def;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    throw this.error(key, 'expected a non-negative integer');
  }

  secret(key: string): Secret | undefined {
    const v = this.optString(key);
    return v === undefined || v === '' ? undefined : createSecret(v);
  }

  /** An absolute http(s) URL with a host, as Alertmanager's URL type requires. */
  url(key: string): string | undefined {
    const v = this.optString(key);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      // Never echo the value: it may carry a token.
      throw this.error(key, 'invalid URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw this.error(key, 'unsupported scheme for URL (want http or https)');
    if (!u.hostname) throw this.error(key, 'missing host for URL');
    return v;
  }

  secretURL(key: string): Secret | undefined {
    const v = this.url(key);
    return v === undefined ? undefined : createSecret(v);
  }

  stringMap(key: string): Record<string, string> {
    const v = this.raw(key);
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw this.error(key, 'expected a mapping of strings');
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
      else throw this.error([key, k], 'expected a string');
    }
    return out;
  }

  stringList(key: string): string[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.error(key, 'expected a list of strings');
    return v.map((x, i) => {
      if (typeof x !== 'string') throw this.error([key, i], 'expected a string');
      return x;
    });
  }

  list<T>(key: string, each: (r: ConfigReader, i: number) => T, typeName: string): T[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.error(key, `expected a list of ${typeName}`);
    return v.map((x, i) => {
      const r = ConfigReader.of(this.source, [...this.path, key, i], x, typeName);
      const out = each(r, i);
      r.done();
      return out;
    });
  }

  child(key: string, typeName: string): ConfigReader | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    return ConfigReader.of(this.source, [...this.path, key], v, typeName);
  }

  /** Throws for the first key that was never read: Alertmanager rejects unknown fields. */
  done(): void {
    for (const k of Object.keys(this.map)) {
      if (!this.#seen.has(k)) throw this.error(k, `field ${k} not found in type ${this.typeName}`);
    }
  }
}

/** Builds a located {@link ReceiverConfigError} for `path` (relative to the receiver map). */
export function fail(source: ReceiverSource, path: Path, problem: string): ReceiverConfigError {
  let pos: { line: number; col: number } | undefined;
  // Fall back to the nearest enclosing node that has a position (a missing key has none).
  for (let n = path.length; n >= 0 && !pos; n--) pos = source.lineOf?.(path.slice(0, n));
  return new ReceiverConfigError(
    { file: source.file, field: fieldName(path) || '<receiver>', ...(pos ? { line: pos.line, column: pos.col } : {}) },
    problem,
  );
}
