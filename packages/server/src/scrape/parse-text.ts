import type { Labels } from '@vigil/engine';

/** One sample parsed from a scrape body. */
export interface ScrapedSample {
  readonly labels: Labels;
  readonly value: number;
  readonly timestamp?: number;
}

/**
 * Parses Prometheus text exposition 0.0.4 / OpenMetrics 1.0 sample lines (comments skipped). A thin
 * adapter until the engine's streaming parser is exported; throws Error naming the line on garbage.
 */
export function parseTextExposition(body: string, openMetrics = false): ScrapedSample[] {
  const out: ScrapedSample[] = [];
  let lineNo = 0;
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNo++;
    const line = body.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    out.push(parseLine(line, lineNo, openMetrics));
  }
  return out;
}

/** Parses a sample value as the exposition formats write it (NaN, +Inf, -Inf, floats). */
export function parseValue(s: string, lineNo: number): number {
  switch (s) {
    case '+Inf': case 'Inf': case '+inf': return Infinity;
    case '-Inf': case '-inf': return -Infinity;
    case 'NaN': case 'nan': return NaN;
  }
  const v = Number(s);
  if (s === '' || Number.isNaN(v)) throw new Error(`line ${lineNo}: invalid value "${s.slice(0, 40)}"`);
  return v;
}

/** Parses one sample line (`name{labels} value [timestamp] [# exemplar]`); throws naming the line. */
export function parseLine(line: string, lineNo: number, openMetrics: boolean): ScrapedSample {
  let i = 0;
  while (i < line.length && /[a-zA-Z0-9_:]/.test(line[i]!)) i++;
  const name = line.slice(0, i);
  if (name === '' || /^[0-9]/.test(name)) throw new Error(`line ${lineNo}: invalid metric name`);
  const labels: Record<string, string> = { __name__: name };
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') { i++; break; }
      const ls = i;
      while (i < line.length && /[a-zA-Z0-9_]/.test(line[i]!)) i++;
      const lname = line.slice(ls, i);
      while (line[i] === ' ') i++;
      if (lname === '' || line[i] !== '=' ) throw new Error(`line ${lineNo}: invalid label at column ${i + 1}`);
      i++;
      while (line[i] === ' ') i++;
      if (line[i] !== '"') throw new Error(`line ${lineNo}: expected '"' at column ${i + 1}`);
      i++;
      let v = '';
      for (;;) {
        if (i >= line.length) throw new Error(`line ${lineNo}: unterminated label value`);
        const c = line[i]!;
        if (c === '\\') {
          const n = line[i + 1];
          v += n === 'n' ? '\n' : n === '\\' ? '\\' : n === '"' ? '"' : `\\${n ?? ''}`;
          i += 2;
        } else if (c === '"') { i++; break; } else { v += c; i++; }
      }
      if (lname in labels && lname !== '__name__') throw new Error(`line ${lineNo}: duplicate label "${lname}"`);
      labels[lname] = v;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  // OpenMetrics exemplars follow " # "; drop them.
  const hash = rest.indexOf('#');
  const fields = hash >= 0 ? rest.slice(0, hash) : rest;
  if (fields.length < 1 || fields.length > 2) throw new Error(`line ${lineNo}: expected value [timestamp]`);
  const value = parseValue(fields[0]!, lineNo);
  if (fields.length === 2) {
    const ts = Number(fields[1]);
    if (!Number.isFinite(ts)) throw new Error(`line ${lineNo}: invalid timestamp`);
    return { labels, value, timestamp: openMetrics ? Math.round(ts * 1000) : ts };
  }
  return { labels, value };
}
