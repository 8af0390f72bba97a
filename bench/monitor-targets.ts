// Target fleet for bench/monitor.ts: serves `count` targets on consecutive loopback ports, each with
// 1,000 series shaped like an instrumented service (RED counters, a latency histogram, gauges).
// Values move on every scrape so the store sees real change. Prints the first port on stdout.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? 10);
const routes = Array.from({ length: 20 }, (_, i) => `/api/r${i}`);
const codes = ['200', '201', '400', '404', '500'];
const buckets = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];

function body(target: number, tick: number): string {
  const lines: string[] = ['# TYPE http_requests_total counter'];
  for (const r of routes) for (const c of codes) lines.push(`http_requests_total{method="GET",route="${r}",status_code="${c}"} ${(target + 1) * tick * (c === '500' ? 1 : 10)}`);
  lines.push('# TYPE http_request_duration_seconds histogram');
  for (const r of routes) {
    buckets.forEach((b, i) => lines.push(`http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${tick * (i + 1)}`));
    lines.push(`http_request_duration_seconds_sum{route="${r}"} ${tick * 0.3}`, `http_request_duration_seconds_count{route="${r}"} ${tick * 12}`);
  }
  lines.push('# TYPE app_queue_depth gauge');
  for (let i = lines.length - 3; i < 1000; i++) lines.push(`app_queue_depth{queue="q${i}"} ${(i * 7 + tick) % 100}`);
  return lines.join('\n') + '\n';
}

let first = 0;
const ticks = new Array<number>(count).fill(0);
for (let t = 0; t < count; t++) {
  const server = createServer((_req, res) => {
    ticks[t]!++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body(t, ticks[t]!));
  });
  await new Promise<void>((r) => server.listen(first ? first + t : 0, '127.0.0.1', () => r()));
  if (t === 0) first = (server.address() as AddressInfo).port;
}
process.stdout.write(`${first}\n`);
