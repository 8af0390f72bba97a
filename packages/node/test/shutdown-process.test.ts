/**
 * Graceful shutdown observed in a real child process receiving SIGTERM: readiness fails first, the wait
 * passes, in-flight keep-alive requests finish, the server closes, hooks run LIFO (a hanging one is cut
 * off) and the process exits with code 1 because a hook timed out.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'health-shutdown-app.ts',
);

type Event = Record<string, unknown> & { event: string };

function get(
  port: number,
  pathName: string,
  agent?: http.Agent,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathName, agent }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        );
      })
      .on('error', reject);
  });
}

describe('graceful shutdown in a real process', () => {
  it('SIGTERM: readiness 503 → wait → drain in-flight keep-alive request → hooks LIFO with timeout → exit 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, READINESS_DELAY_MS: '300', SLOW_MS: '500' },
    });
    const events: Event[] = [];
    const waiters: Array<() => void> = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        events.push(JSON.parse(buffer.slice(0, nl)) as Event);
        buffer = buffer.slice(nl + 1);
        for (const w of waiters.splice(0)) w();
      }
    });
    const waitFor = async (pred: (e: Event) => boolean): Promise<Event> => {
      for (;;) {
        const found = events.find(pred);
        if (found) return found;
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const { port } = (await waitFor((e) => e.event === 'listening')) as Event & { port: number };
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // Warm a keep-alive connection, then start a slow request on it that will be in flight at SIGTERM.
      expect((await get(port, '/warm', agent)).status).toBe(200);
      const slow = get(port, '/slow', agent);
      await waitFor((e) => e.event === 'slow_request_started');
      child.kill('SIGTERM');
      await waitFor((e) => e.event === 'step' && e.step === 'readiness_failed');
      const probe = await get(port, '/health/ready');
      expect(probe.status).toBe(503);
      const slowRes = await slow;
      expect(slowRes.status).toBe(200);
      expect(slowRes.connection).toBe('close');
      agent.destroy();
      expect(await exited).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const order = events
      .filter((e) => e.event !== 'listening')
      .map((e) =>
        e.event === 'step'
          ? `${String(e.step)}${e.name ? `:${String(e.name)}` : ''}`
          : e.event === 'hook_ran'
            ? `ran:${String(e.name)}`
            : e.event === 'probe'
              ? `probe:${String(e.status)}`
              : e.event === 'exit'
                ? `exit:${String(e.code)}`
                : e.event,
      );
    expect(order).toEqual([
      'slow_request_started',
      'started',
      'readiness_failed',
      'probe:503',
      'wait_done',
      'slow_request_done',
      'servers_closed',
      'hook_started:db-pool',
      'ran:db-pool',
      'hook_done:db-pool',
      'hook_started:hangs-forever',
      'hook_done:hangs-forever',
      'hook_started:logger-flush',
      'ran:logger-flush',
      'hook_done:logger-flush',
      'done',
      'exit:1',
    ]);
    const hung = events.find((e) => e.step === 'hook_done' && e.name === 'hangs-forever')!;
    expect(hung.ok).toBe(false);
    expect(String(hung.error)).toMatch(/did not finish within 200 ms/);
  });

  it('a second SIGINT during shutdown exits at once with 130', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, READINESS_DELAY_MS: '20000' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      while (!out.includes('"listening"')) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      while (!out.includes('readiness_failed')) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(out).not.toContain('servers_closed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
