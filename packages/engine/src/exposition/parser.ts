import { ExpositionParseError } from './errors.js';
import type {
  Exemplar,
  ExpositionFormat,
  ExpositionParserOptions,
  MetricMetadata,
  MetricType,
  ParsedSample,
} from './types.js';

/** Callbacks fed by the incremental parser. */
export interface ExpositionHandlers {
  /** Called once per sample, in body order. */
  readonly onSample: (sample: ParsedSample) => void;
  /** Called when a family's HELP, TYPE or UNIT line is read (with everything known so far). */
  readonly onMetadata?: (meta: MetricMetadata) => void;
}

/** An incremental exposition parser: feed chunks with `write`, then call `end`. */
export interface ExpositionParser {
  /** Parses as much of `chunk` as forms complete lines; throws `ExpositionParseError`. */
  write(chunk: string | Uint8Array): void;
  /** Parses the remaining partial line and checks the end of the body (`# EOF` for OpenMetrics). */
  end(): void;
  /** Samples emitted so far. */
  readonly sampleCount: number;
}

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

const SUFFIXES: Record<string, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['_count', '_sum', '_created'],
  info: ['_info'],
};

const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$/;
const INT_RE = /^[+-]?\d+$/;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Parses a Go-style float as the exposition formats write them (`NaN`, `+Inf`, `1e3`, ...). */
function parseFloatToken(tok: string): number | undefined {
  if (!FLOAT_RE.test(tok)) return undefined;
  const c = tok.charCodeAt(tok[0] === '+' || tok[0] === '-' ? 1 : 0);
  if (c === 105 || c === 73) return tok[0] === '-' ? -Infinity : Infinity;
  if (c === 110 || c === 78) return NaN;
  if (tok.includes('x') || tok.includes('X')) {
    const neg = tok[0] === '-';
    const n = parseInt(tok.replace(/^[+-]/, ''), 16);
    return neg ? -n : n;
  }
  return Number(tok);
}

class LineParser {
  readonly om: boolean;
  readonly maxLabels: number;
  readonly maxName: number;
  readonly maxValue: number;
  readonly keepCreated: boolean;
  readonly types = new Map<string, MetricType>();
  readonly meta = new Map<string, { type?: MetricType; help?: string; unit?: string }>();
  lineNo = 0;
  line = '';
  pos = 0;
  sawEof = false;

  constructor(
    opts: ExpositionParserOptions,
    readonly handlers: ExpositionHandlers,
    readonly maxSamples: number,
    public samples = 0,
  ) {
    this.om = opts.format === 'openmetrics';
    this.maxLabels = opts.limits?.maxLabels ?? 64;
    this.maxName = opts.limits?.maxLabelNameLength ?? 1024;
    this.maxValue = opts.limits?.maxLabelValueLength ?? 16384;
    this.keepCreated = opts.keepCreated ?? false;
  }

  fail(expected: string, col = this.pos): never {
    throw new ExpositionParseError('VIGIL_ERR_EXPOSITION_PARSE', this.lineNo, col + 1, expected);
  }
  limit(what: string, col = this.pos): never {
    throw new ExpositionParseError('VIGIL_ERR_EXPOSITION_LIMIT', this.lineNo, col + 1, what);
  }

  parseLine(line: string): void {
    this.lineNo++;
    this.line = line;
    this.pos = 0;
    if (this.sawEof) this.fail('end of input after "# EOF"');
    if (line.endsWith('\r')) this.line = line = line.slice(0, -1);
    if (line.length === 0 || (!this.om && /^[ \t]*$/.test(line))) {
      if (this.om) this.fail('a sample, "# HELP", "# TYPE", "# UNIT" or "# EOF" (blank lines are not allowed in OpenMetrics)');
      return;
    }
    if (!this.om) this.skipSpace();
    if (this.line.charCodeAt(this.pos) === 35 /* # */) this.parseComment();
    else this.parseSample();
  }

  skipSpace(): void {
    const line = this.line;
    let c = line.charCodeAt(this.pos);
    while (c === 32 || c === 9) c = line.charCodeAt(++this.pos);
  }

  /** One separator: exactly one space in OpenMetrics, any run of blanks in text. */
  sep(what: string): void {
    const c = this.line[this.pos];
    if (c !== ' ' && (this.om || c !== '\t')) this.fail(what);
    if (this.om) this.pos++;
    else this.skipSpace();
  }

  readName(what: string): string {
    const start = this.pos;
    if (!isNameStart(this.line.charCodeAt(this.pos))) this.fail(what);
    this.pos++;
    while (this.pos < this.line.length && isNameChar(this.line.charCodeAt(this.pos))) this.pos++;
    return this.line.slice(start, this.pos);
  }

  readToken(): string {
    const start = this.pos;
    while (this.pos < this.line.length && this.line[this.pos] !== ' ' && this.line[this.pos] !== '\t') this.pos++;
    return this.line.slice(start, this.pos);
  }

  parseComment(): void {
    const line = this.line;
    this.pos = line.indexOf('#') + 1;
    if (this.om) {
      if (line === '# EOF') {
        this.sawEof = true;
        return;
      }
    }
    const m = /^[ \t]+(HELP|TYPE|UNIT)[ \t]/.exec(line.slice(this.pos));
    if (!m || (m[1] === 'UNIT' && !this.om)) {
      if (this.om) this.fail('"HELP", "TYPE", "UNIT" or "EOF" after "#"');
      return; // text format: any other comment is ignored
    }
    this.pos += m[0].length - 1;
    if (this.om && line[this.pos - m[1]!.length - 1] !== ' ') this.fail('single space after "#"');
    this.sep('space after ' + m[1]);
    const family = this.readName('metric name');
    const kind = m[1]!;
    let rest = '';
    if (this.pos < line.length) {
      this.sep('space after metric name');
      rest = line.slice(this.pos);
    } else if (kind === 'TYPE') this.fail('metric type');
    const entry = this.meta.get(family) ?? {};
    if (kind === 'TYPE') {
      const t = rest.trim();
      if (!(this.om ? OM_TYPES : TEXT_TYPES).has(t)) this.fail(`metric type (one of ${[...(this.om ? OM_TYPES : TEXT_TYPES)].join(', ')})`);
      if (this.types.has(family)) this.fail(`a single TYPE line for ${family}`, 0);
      this.types.set(family, t as MetricType);
      this.familyCache.clear();
      entry.type = t as MetricType;
    } else if (kind === 'HELP') {
      entry.help = this.unescape(rest, false);
    } else {
      entry.unit = rest;
      if (rest !== '' && !family.endsWith('_' + rest)) this.fail(`metric name ending in "_${rest}" for UNIT ${rest}`, line.indexOf(family));
    }
    this.meta.set(family, entry);
    this.handlers.onMetadata?.({ family, ...entry });
  }

  unescape(s: string, quotes: boolean): string {
    if (!s.includes('\\')) return s;
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== '\\') {
        out += c;
        continue;
      }
      const n = s[++i];
      if (n === 'n') out += '\n';
      else if (n === '\\') out += '\\';
      else if (n === '"' && (quotes || this.om)) out += '"';
      else out += '\\' + (n ?? '');
    }
    return out;
  }

  /** Reads `{name="value",...}` starting at `{`; returns the pairs. */
  readLabels(into: Record<string, string>, countStart: number): number {
    let count = countStart;
    const line = this.line;
    this.pos++; // {
    for (;;) {
      if (!this.om) this.skipSpace();
      if (line.charCodeAt(this.pos) === 125 /* } */) {
        this.pos++;
        return count;
      }
      const nameCol = this.pos;
      const name = this.readName('label name or "}"');
      if (name.length > this.maxName) this.limit(`label name longer than ${this.maxName} characters`, nameCol);
      if (!this.om) this.skipSpace();
      if (line.charCodeAt(this.pos) !== 61 /* = */) this.fail('"=" after label name');
      this.pos++;
      if (!this.om) this.skipSpace();
      if (line.charCodeAt(this.pos) !== 34 /* " */) this.fail('opening quote of label value');
      const value = this.readQuoted();
      if (value.length > this.maxValue) this.limit(`label value longer than ${this.maxValue} characters`, nameCol);
      if (into[name] !== undefined && Object.prototype.hasOwnProperty.call(into, name))
        this.fail(`distinct label names (duplicate "${name}")`, nameCol);
      if (countStart > 0 && name === '__name__') this.fail('no "__name__" label in braces after a metric name', nameCol);
      into[name] = value;
      count++;
      if (this.maxLabels > 0 && count > this.maxLabels) this.limit(`more than ${this.maxLabels} labels`, nameCol);
      if (!this.om) this.skipSpace();
      const c = line.charCodeAt(this.pos);
      if (c === 44 /* , */) {
        this.pos++;
        continue;
      }
      if (c === 125 /* } */) {
        this.pos++;
        return count;
      }
      this.fail('"," or "}" after label value');
    }
  }

  readQuoted(): string {
    const line = this.line;
    let i = ++this.pos;
    let hasEscape = false;
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 92) {
        hasEscape = true;
        const n = line[i + 1];
        if (n !== 'n' && n !== '\\' && n !== '"') {
          this.pos = i;
          this.fail('escape sequence \\\\, \\" or \\n in label value');
        }
        i++;
      } else if (c === 34) break;
    }
    if (i >= line.length) {
      this.pos = line.length;
      this.fail('closing quote of label value');
    }
    const raw = line.slice(this.pos, i);
    this.pos = i + 1;
    return hasEscape ? this.unescape(raw, true) : raw;
  }

  readValue(what: string): number {
    const col = this.pos;
    const tok = this.readToken();
    const v = parseFloatToken(tok);
    if (v === undefined) this.fail(what, col);
    return v;
  }

  readTimestamp(): number {
    const col = this.pos;
    const tok = this.readToken();
    if (this.om) {
      const v = parseFloatToken(tok);
      if (v === undefined || !Number.isFinite(v)) this.fail('timestamp (seconds) or exemplar', col);
      return Math.round(v * 1000);
    }
    if (!INT_RE.test(tok)) this.fail('timestamp (integer milliseconds)', col);
    return Number(tok);
  }

  private familyCache = new Map<string, [string, MetricType]>();

  familyOf(name: string): [string, MetricType] {
    let hit = this.familyCache.get(name);
    if (hit === undefined) {
      hit = this.lookupFamily(name);
      if (this.familyCache.size > 100_000) this.familyCache.clear();
      this.familyCache.set(name, hit);
    }
    return hit;
  }

  lookupFamily(name: string): [string, MetricType] {
    const exact = this.types.get(name);
    if (exact !== undefined) return [name, exact];
    for (const [type, suffixes] of Object.entries(SUFFIXES)) {
      for (const s of suffixes) {
        if (name.endsWith(s)) {
          const base = name.slice(0, -s.length);
          const t = this.types.get(base);
          if (t === type) return [base, t];
        }
      }
    }
    return [name, this.om ? 'unknown' : 'untyped'];
  }

  parseSample(): void {
    const labels: Record<string, string> = {};
    const start = this.pos;
    let name: string;
    if (this.line[this.pos] === '{') {
      this.readLabels(labels, 0);
      const n = labels['__name__'];
      if (n === undefined || n === '') this.fail('metric name', 0);
      name = n;
    } else {
      name = this.readName('metric name, "#" or end of line');
      labels['__name__'] = name;
      if (!this.om) {
        const at = this.pos;
        this.skipSpace();
        if (this.line[this.pos] !== '{') this.pos = at;
      }
      if (this.line[this.pos] === '{') this.readLabels(labels, 1);
    }
    const seriesText = this.line.slice(start, this.pos);
    this.sep('space before sample value');
    const value = this.readValue('sample value (a float, NaN, +Inf or -Inf)');
    let timestamp: number | undefined;
    let exemplar: Exemplar | undefined;
    if (this.pos < this.line.length) {
      this.sep('space after value');
      if (this.pos < this.line.length && this.line[this.pos] !== '#') {
        timestamp = this.readTimestamp();
        if (this.pos < this.line.length) this.sep('space after timestamp');
      }
      if (this.pos < this.line.length) {
        if (this.line[this.pos] === '#' && this.om) exemplar = this.readExemplar(name);
        else this.fail(this.om ? 'end of line or exemplar' : 'end of line');
      }
    }
    if (!this.om) this.skipSpace();
    if (this.pos < this.line.length) this.fail('end of line');
    const [family, type] = this.familyOf(name);
    if (this.om) this.checkOmSample(name, family, type, labels, value);
    if (!this.keepCreated && name.endsWith('_created') && family !== name && this.om) return;
    this.samples++;
    if (this.maxSamples > 0 && this.samples > this.maxSamples) this.limit(`more than ${this.maxSamples} samples`, 0);
    const sample: ParsedSample = {
      name,
      labels,
      seriesText,
      value,
      family,
      type,
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(exemplar ? { exemplar } : {}),
    };
    this.handlers.onSample(sample);
  }

  checkOmSample(name: string, family: string, type: MetricType, labels: Record<string, string>, value: number): void {
    if (type === 'counter' && name === family) this.fail(`counter sample named ${family}_total or ${family}_created`, 0);
    if (type === 'info' && name === family) this.fail(`info sample named ${family}_info`, 0);
    if ((type === 'histogram' || type === 'gaugehistogram') && name === family + '_bucket' && labels['le'] === undefined)
      this.fail('"le" label on histogram bucket', 0);
    if (type === 'summary' && name === family && labels['quantile'] === undefined) this.fail('"quantile" label on summary sample', 0);
    if (type === 'stateset' && labels[family] === undefined) this.fail(`label "${family}" on stateset sample`, 0);
    if (type === 'counter' && value < 0) this.fail('non-negative counter value', 0);
  }

  readExemplar(name: string): Exemplar {
    const start = this.pos;
    if (!name.endsWith('_bucket') && !name.endsWith('_total')) this.fail('exemplars only on _bucket and _total samples', start);
    this.pos++;
    this.sep('space after "#"');
    if (this.line[this.pos] !== '{') this.fail('"{" starting exemplar labels');
    const labels: Record<string, string> = {};
    this.readLabels(labels, 0);
    let runes = 0;
    for (const [k, v] of Object.entries(labels)) runes += [...k].length + [...v].length;
    if (runes > 128) this.fail('exemplar labels of at most 128 characters', start);
    this.sep('space before exemplar value');
    const value = this.readValue('exemplar value');
    let timestamp: number | undefined;
    if (this.pos < this.line.length) {
      this.sep('space before exemplar timestamp');
      timestamp = this.readTimestamp();
    }
    return timestamp !== undefined ? { labels, value, timestamp } : { labels, value };
  }
}

/**
 * Creates an incremental parser for Prometheus text 0.0.4 or OpenMetrics 1.0 bodies: `write()`
 * chunks (strings or UTF-8 bytes) as they arrive, `end()` at the end. Samples go to
 * `handlers.onSample` in order; malformed input or exceeded limits throw `ExpositionParseError`
 * naming line, column and what was expected. Memory is bounded by the line-length limit.
 */
export function createExpositionParser(handlers: ExpositionHandlers, options: ExpositionParserOptions = {}): ExpositionParser {
  const maxLine = options.limits?.maxLineLength ?? 65536;
  const p = new LineParser(options, handlers, options.limits?.maxSamples ?? 0);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let buf = '';
  let ended = false;

  const feed = (text: string): void => {
    let start = 0;
    let data = buf + text;
    buf = '';
    for (;;) {
      const nl = data.indexOf('\n', start);
      if (nl < 0) break;
      if (maxLine > 0 && nl - start > maxLine) {
        p.lineNo++;
        p.limit(`line longer than ${maxLine} characters`, maxLine);
      }
      p.parseLine(data.slice(start, nl));
      start = nl + 1;
    }
    buf = data.slice(start);
    data = '';
    if (maxLine > 0 && buf.length > maxLine) {
      p.lineNo++;
      p.limit(`line longer than ${maxLine} characters`, maxLine);
    }
  };

  return {
    write(chunk) {
      if (ended) throw new ExpositionParseError('VIGIL_ERR_EXPOSITION_PARSE', p.lineNo, 1, 'no write after end()');
      feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      if (ended) return;
      feed(decoder.decode());
      ended = true;
      if (buf.length > 0) {
        const last = buf;
        buf = '';
        if (p.om && last !== '# EOF') {
          p.lineNo++;
          p.pos = last.length;
          p.line = last;
          p.fail('newline at end of line');
        }
        p.parseLine(last);
      }
      if (p.om && !p.sawEof) {
        p.lineNo++;
        p.pos = 0;
        p.fail('"# EOF" at the end of an OpenMetrics body');
      }
    },
    get sampleCount() {
      return p.samples;
    },
  };
}

/** Result of `parseExposition`: every sample and every family's metadata, in body order. */
export interface ParsedExposition {
  readonly samples: ParsedSample[];
  readonly metadata: MetricMetadata[];
}

/**
 * Parses a whole exposition body (text 0.0.4 by default, or OpenMetrics 1.0 with
 * `{ format: 'openmetrics' }`); throws `ExpositionParseError` on malformed input or exceeded limits.
 */
export function parseExposition(body: string | Uint8Array, options: ExpositionParserOptions = {}): ParsedExposition {
  const samples: ParsedSample[] = [];
  const meta = new Map<string, MetricMetadata>();
  const parser = createExpositionParser(
    { onSample: (s) => samples.push(s), onMetadata: (m) => meta.set(m.family, m) },
    options,
  );
  parser.write(body);
  parser.end();
  return { samples, metadata: [...meta.values()] };
}

/**
 * Picks the parser format from a scrape response's Content-Type: `openmetrics` for
 * `application/openmetrics-text`, `text` for anything else (as Prometheus falls back).
 */
export function detectExpositionFormat(contentType: string | undefined | null): ExpositionFormat {
  return contentType && /^\s*application\/openmetrics-text/i.test(contentType) ? 'openmetrics' : 'text';
}

export type { ExpositionFormat };
