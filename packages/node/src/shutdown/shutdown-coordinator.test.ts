import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHealthEndpoints } from '../health/endpoints.js';
import { createNodeHealthHandler } from '../health/node-http-adapter.js';
import { createHealthRegistry } from '../health/registry.js';
import { createShutdownCoordinator, type ShutdownStep } from './shutdown-coordinator.js';

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('createShutdownCoordinator', () => {
  it('fails readiness, waits, drains keep-alive connections, runs hooks LIFO, then reports', async () => {
    const registry = createHealthRegistry({ logger: false });
    const health = createNodeHealthHandler(createHealthEndpoints({ registry }));
    const server = http.createServer(async (req, res) => {
      if (await health(req, res)) return;
      res.end('ok');
    });
    const port = await listen(server);
    const steps: string[] = [];
    let readyDuringWait = 0;
    const coordinator = createShutdownCoordinator({
      registry,
      servers: [server],
      logger: false,
      readinessDelayMs: 1,
      drainTimeoutMs: 2000,
      sleep: async () => {
        const r = await fetch(`http://127.0.0.1:${port}/health/ready`);
        readyDuringWait = r.status;
      },
      onStep: (s: ShutdownStep) =>
        steps.push(
          s.step === 'hook_started' || s.step === 'hook_done' ? `${s.step}:${s.name}` : s.step,
        ),
    });
    coordinator.addHook('logger-flush', () => undefined);
    coordinator.addHook('db-pool', async () => undefined);
    // A kept-alive connection that is idle when shutdown starts must not hold the server open.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) =>
      http.get({ port, host: '127.0.0.1', path: '/x', agent }, (res) =>
        res.resume().on('end', resolve),
      ),
    );
    const report = await coordinator.shutdown('test');
    agent.destroy();
    expect(readyDuringWait).toBe(503);
    expect(steps).toEqual([
      'started',
      'readiness_failed',
      'wait_done',
      'servers_closed',
      'hook_started:db-pool',
      'hook_done:db-pool',
      'hook_started:logger-flush',
      'hook_done:logger-flush',
      'done',
    ]);
    expect(report).toMatchObject({ exitCode: 0, drained: true });
    expect(server.listening).toBe(false);
    expect(coordinator.isShuttingDown()).toBe(true);
  });

  it('a hanging hook is cut off at its timeout and the exit code says so', async () => {
    const exits: number[] = [];
    let aborted = false;
    const coordinator = createShutdownCoordinator({
      logger: false,
      readinessDelayMs: 0,
      exit: (c) => exits.push(c),
    });
    coordinator.addHook('after', () => undefined);
    coordinator.addHook(
      'hangs',
      ({ signal }) =>
        new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true))),
      { timeoutMs: 50 },
    );
    coordinator.addHook('throws', () => {
      throw new Error('close failed for postgres://u:secretpw@h/db');
    });
    const report = await coordinator.shutdown('test', { exit: true });
    expect(report.hooks.map((h) => [h.name, h.ok])).toEqual([
      ['throws', false],
      ['hangs', false],
      ['after', true],
    ]);
    expect(report.hooks[1]!.error).toMatch(/did not finish within 50 ms/);
    expect(report.hooks[0]!.error).not.toContain('secretpw');
    expect(aborted).toBe(true);
    expect(report.exitCode).toBe(1);
    expect(exits).toEqual([1]);
    // Idempotent: a second call returns the same run.
    expect(await coordinator.shutdown('again')).toBe(report);
  });

  it('force-closes a busy connection at the drain deadline', async () => {
    const server = http.createServer(() => {
      // never answers
    });
    const port = await listen(server);
    const coordinator = createShutdownCoordinator({
      logger: false,
      servers: [server],
      readinessDelayMs: 0,
      drainTimeoutMs: 100,
    });
    const pending = fetch(`http://127.0.0.1:${port}/slow`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    const report = await coordinator.shutdown();
    expect(report.drained).toBe(false);
    expect(report.exitCode).toBe(1);
    expect(await pending).toBeInstanceOf(Error);
  });
});
