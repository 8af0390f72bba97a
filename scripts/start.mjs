#!/usr/bin/env node
// `npm start`: runs the demo service (examples/demo-service), a small traffic generator against it,
// and `vigil start` with the repo's vigil.yml, which scrapes the demo and itself, probes the demo's
// health endpoints and loads rules/vigil-default.rules.yml. Vigil prints its URLs, targets and rules.
// DEMO_PORT (default 3000), VIGIL_PORT (default 9090), DATABASE_URL and REDIS_URL are passed through;
// TRAFFIC=0 turns the traffic generator off. Ctrl-C stops everything; the exit code is Vigil's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoPort = process.env.DEMO_PORT ?? process.env.PORT ?? '3000';
const vigilPort = process.env.VIGIL_PORT ?? '9090';
const env = { ...process.env, PORT: demoPort, DEMO_PORT: demoPort, VIGIL_PORT: vigilPort };

// Own process groups: a terminal's Ctrl-C reaches the children only through the forwarding below, once.
const spawnTs = (args) => spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, stdio: 'inherit', env, detached: true });
const demo = spawnTs([path.join(root, 'examples', 'demo-service', 'src', 'main.ts')]);
const children = [demo];

async function waitForDemo() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${demoPort}/health/live`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let vigil;
await waitForDemo();
if (process.env.TRAFFIC !== '0') {
  children.push(spawnTs([path.join(root, 'examples', 'demo-service', 'src', 'traffic.ts'), `http://127.0.0.1:${demoPort}`]));
}
vigil = spawn(process.execPath, [path.join(root, 'packages', 'server', 'bin', 'vigil.mjs'), 'start', '--config', path.join(root, 'vigil.yml')], {
  cwd: root,
  stdio: 'inherit',
  env,
  detached: true,
});
children.push(vigil);

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const now = Date.now();
    if (firstSignalAt !== 0 && now - firstSignalAt < 1000) return;
    if (firstSignalAt === 0) firstSignalAt = now;
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  });
}
process.on('SIGHUP', () => vigil.exitCode === null && vigil.kill('SIGHUP'));

vigil.on('exit', (code, signal) => {
  // After Ctrl-C the others already have the signal and are shutting down gracefully: a second signal
  // would cut that short. Otherwise (Vigil failed on its own) they are asked to stop now.
  if (firstSignalAt === 0) for (const c of children) if (c.exitCode === null && c !== vigil) c.kill('SIGTERM');
  const exitCode = code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal] ?? 0) : 1);
  const left = children.filter((c) => c !== vigil && c.exitCode === null);
  if (left.length === 0) process.exit(exitCode);
  let n = left.length;
  for (const c of left) c.once('exit', () => --n === 0 && process.exit(exitCode));
  setTimeout(() => process.exit(exitCode), 5000).unref();
});
demo.on('exit', (code) => {
  if (vigil.exitCode === null && firstSignalAt === 0) {
    console.error(`demo service exited (${code}); stopping Vigil`);
    vigil.kill('SIGTERM');
  }
});
