/**
 * Ingest bench (issue 4): (1) parse + append samples/second for a realistic 1,000-series scrape
 * body, against Prometheus's own backfill path (`promtool tsdb create-blocks-from openmetrics`,
 * parse + append + block write) measured in the same run; (2) bytes per sample after 6 h of 15 s
 * data for 10,000 series in the Vigil store, beside the bytes per sample of the TSDB blocks
 * promtool writes for the same generated data. Run: `npx tsx bench/ingest.ts` (≈ 1–2 min).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpositionParser, createScrapeAppender, createSeriesStore, type Labels } from '@vigil/engine';

const STEP = 15_000;
const HOURS = 6;
const POINTS = (HOURS * 3600_000) / STEP; // 1440
const SERIES_BIG = 10_000;
const SERIES_PROM = 2_000; // promtool backfill subset (same generator, same mix)
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Series i's kind (i % 10): 0–4 request-style counters (integer increments), 5–6 constant gauges,
 * 7–8 memory-style gauges (random walk in 4 KiB steps), 9 ratio gauges (3 decimals).
 */
function* seriesValues(i: number): Generator<number> {
  const r = rng(i + 1);
  const kind = i % 10;
  let v = kind === 7 || kind === 8 ? 50_000_000 + Math.floor(r() * 1e6) * 4096 : Math.floor(r() * 1000);
  const rate = 1 + (i % 50);
  for (;;) {
    if (kind <= 4) v += Math.floor(r() * rate);
    else if (kind === 7 || kind === 8) v += (Math.floor(r() * 5) - 2) * 4096;
    else if (kind === 9) v = Math.round(r() * 1000) / 1000;
    yield v;
  }
}

function seriesLabels(i: number): Labels {
  return { __name__: `bench_kind${i % 10}`, instance: `host-${Math.floor(i / 100)}:9100`, job: 'node', series: String(i) };
}

// ---------- 1. ingest rate ----------
function scrapeBody(variant: number): string {
  const r = rng(1000 + variant);
  const lines: string[] = [];
  let n = 0;
  const routes = ['/', '/api/orders', '/api/orders/:id', '/api/users', '/api/users/:id', '/login', '/logout', '/health', '/search', '/cart'];
  const buckets = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  lines.push('# HELP http_request_duration_seconds Duration of HTTP requests in seconds.', '# TYPE http_request_duration_seconds histogram');
  for (const route of routes)
    for (const method of ['GET', 'POST'])
      for (const status of ['200', '500']) {
        let c = 0;
        for (const le of buckets) {
          c += Math.floor(r() * 100);
          lines.push(`http_request_duration_seconds_bucket{le="${le}",method="${method}",route="${route}",status_code="${status}"} ${c}`);
          n++;
        }
        lines.push(`http_request_duration_seconds_sum{method="${method}",route="${route}",status_code="${status}"} ${(c * 0.0731).toFixed(6)}`);
        lines.push(`http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${status}"} ${c}`);
        n += 2;
      }
  lines.push('# HELP http_requests_total Requests.', '# TYPE http_requests_total counter');
  for (const route of routes)
    for (const method of ['GET', 'POST'])
      for (const status of ['200', '500']) {
        lines.push(`http_requests_total{method="${method}",route="${route}",status_code="${status}"} ${Math.floor(r() * 1e6)}`);
        n++;
      }
  lines.push('# HELP process_cpu_seconds_total CPU.', '# TYPE process_cpu_seconds_total counter', `process_cpu_seconds_total ${(r() * 1e4).toFixed(3)}`);
  n++;
  lines.push('# HELP app_queue_depth Queue depth.', '# TYPE app_queue_depth gauge');
  for (let q = 0; n < 1000; q++, n++) lines.push(`app_queue_depth{queue="queue-${q}",shard="${q % 8}"} ${Math.floor(r() * 500)}`);
  return lines.join('\n') + '\n';
}

async function ingestRate(): Promise<{ samplesPerSec: number; byLabelsPerSec: number; parseOnlyPerSec: number; bodyBytes: number }> {
  const bodies = Array.from({ length: 8 }, (_, v) => new TextEncoder().encode(scrapeBody(v)));
  const scrapes = 400;
  // parse only
  let t = performance.now();
  let count = 0;
  for (let s = 0; s < scrapes; s++) {
    const p = createExpositionParser({ onSample: () => count++ });
    p.write(bodies[s % bodies.length]!);
    p.end();
  }
  const parseOnly = count / ((performance.now() - t) / 1000);
  // parse + append (one store, timestamps advancing like a scrape loop)
  const store = createSeriesStore();
  count = 0;
  t = performance.now();
  for (let s = 0; s < scrapes; s++) {
    const ts = T0 + s * STEP;
    const p = createExpositionParser({
      onSample: (x) => {
        store.append(x.labels, ts, x.value);
        count++;
      },
    });
    p.write(bodies[s % bodies.length]!);
    p.end();
  }
  const rateByLabels = count / ((performance.now() - t) / 1000);
  // parse + append through the scrape appender (series-ref cache + staleness tracking)
  const store2 = createSeriesStore();
  const app = createScrapeAppender(store2);
  count = 0;
  t = performance.now();
  for (let s = 0; s < scrapes; s++) {
    const ts = T0 + s * STEP;
    const p = createExpositionParser({
      onSample: (x) => {
        app.add(x, ts);
        count++;
      },
    });
    p.write(bodies[s % bodies.length]!);
    p.end();
    app.commit(ts);
  }
  const rate = count / ((performance.now() - t) / 1000);
  return { samplesPerSec: rate, byLabelsPerSec: rateByLabels, parseOnlyPerSec: parseOnly, bodyBytes: bodies[0]!.length };
}

// ---------- 2. bytes per sample ----------
function vigilBytesPerSample(series: number): { bps: number; samples: number; snapshotBps: number; ms: number } {
  const store = createSeriesStore();
  const t = performance.now();
  const gens = Array.from({ length: series }, (_, i) => seriesValues(i));
  const refs = Array.from({ length: series }, (_, i) => store.ref(seriesLabels(i)));
  for (let k = 0; k < POINTS; k++) {
    const ts = T0 + k * STEP;
    for (let i = 0; i < series; i++) store.appendRef(refs[i]!, ts, gens[i]!.next().value as number);
  }
  const ms = performance.now() - t;
  const st = store.stats();
  const snap = store.snapshot().length;
  return { bps: st.bytesPerSample, samples: st.samples, snapshotBps: snap / st.samples, ms };
}

async function writeOpenMetrics(path: string, series: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  for (let kind = 0; kind < 10; kind++) {
    await write(`# TYPE bench_kind${kind} gauge\n`);
    for (let i = kind; i < series; i += 10) {
      const l = seriesLabels(i);
      const head = `bench_kind${kind}{instance="${l['instance']}",job="node",series="${i}"} `;
      const g = seriesValues(i);
      let chunk = '';
      for (let k = 0; k < POINTS; k++) chunk += `${head}${g.next().value as number} ${(T0 + k * STEP) / 1000}\n`;
      await write(chunk);
    }
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
}

async function dirSize(dir: string, filter: (path: string) => boolean): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile() && filter(p)) total += (await stat(p)).size;
  }
  return total;
}

interface PromResult {
  chunkBps: number;
  blockBps: number;
  samples: number;
  samplesPerSec: number;
}

async function promtoolRound(file: string, dir: string, round: number): Promise<PromResult> {
  const out = join(dir, `blocks-${round}`);
  const t = performance.now();
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const secs = (performance.now() - t) / 1000;
  let samples = 0;
  for (const b of await readdir(out)) {
    const meta = JSON.parse(await readFile(join(out, b, 'meta.json'), 'utf8')) as { stats: { numSamples: number } };
    samples += meta.stats.numSamples;
  }
  const chunks = await dirSize(out, (p) => p.includes('/chunks/'));
  const all = await dirSize(out, () => true);
  await rm(out, { recursive: true, force: true });
  return { chunkBps: chunks / samples, blockBps: all / samples, samples, samplesPerSec: samples / secs };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// Alternating rounds (the machine is shared and noisy): median of each.
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const work = await mkdtemp(join(tmpdir(), 'vigil-bench-ingest-'));
const omFile = join(work, 'data.om');
await writeOpenMetrics(omFile, SERIES_PROM);
const ingests: Awaited<ReturnType<typeof ingestRate>>[] = [];
const proms: PromResult[] = [];
let promOk = true;
for (let r = 0; r < ROUNDS; r++) {
  ingests.push(await ingestRate());
  if (promOk) {
    try {
      proms.push(await promtoolRound(omFile, work, r));
    } catch (e) {
      console.error('promtool backfill failed:', (e as Error).message);
      promOk = false;
    }
  }
}
await rm(work, { recursive: true, force: true });
const ingest = {
  samplesPerSec: median(ingests.map((x) => x.samplesPerSec)),
  byLabelsPerSec: median(ingests.map((x) => x.byLabelsPerSec)),
  parseOnlyPerSec: median(ingests.map((x) => x.parseOnlyPerSec)),
  bodyBytes: ingests[0]!.bodyBytes,
};
const prom = proms.length > 0 ? { ...proms[0]!, samplesPerSec: median(proms.map((p) => p.samplesPerSec)) } : undefined;
const small = vigilBytesPerSample(SERIES_PROM);
const big = vigilBytesPerSample(SERIES_BIG);

console.log(`\n1. ingest of a 1,000-series text body (${fmt(ingest.bodyBytes)} bytes), 400 scrapes; median of ${ROUNDS} alternating rounds`);
console.log(`   Vigil parse only            ${fmt(ingest.parseOnlyPerSec)} samples/s`);
console.log(`   Vigil parse + store.append  ${fmt(ingest.byLabelsPerSec)} samples/s  (labels hashed per sample)`);
console.log(`   Vigil parse + scrape append ${fmt(ingest.samplesPerSec)} samples/s  (createScrapeAppender: ref cache + staleness)`);
if (prom) {
  console.log(`   promtool backfill (anchor)  ${fmt(prom.samplesPerSec)} samples/s  (${fmt(prom.samples)} samples: OpenMetrics parse + TSDB append + block write)`);
  console.log(`   ratio Vigil / anchor        ${fmt(ingest.samplesPerSec / prom.samplesPerSec, 2)}×`);
}
console.log(`\n2. bytes per sample, 6 h at 15 s (${POINTS} samples/series)`);
console.log(`   Vigil, ${fmt(SERIES_PROM)} series        chunks ${fmt(small.bps, 3)} B/sample   snapshot ${fmt(small.snapshotBps, 3)} B/sample`);
console.log(`   Vigil, ${fmt(SERIES_BIG)} series       chunks ${fmt(big.bps, 3)} B/sample   snapshot ${fmt(big.snapshotBps, 3)} B/sample   (${fmt(big.samples)} samples appended in ${fmt(big.ms / 1000, 1)} s = ${fmt(big.samples / (big.ms / 1000))} samples/s by ref)`);
if (prom) {
  console.log(`   Prometheus 2.42 blocks, ${fmt(SERIES_PROM)} series (anchor)  chunks ${fmt(prom.chunkBps, 3)} B/sample   whole blocks ${fmt(prom.blockBps, 3)} B/sample`);
  console.log(`   ratio Vigil / anchor (chunks, same ${fmt(SERIES_PROM)} series)  ${fmt(small.bps / prom.chunkBps, 2)}×`);
}
