#!/usr/bin/env node
// `npm start`: runs the demo service (examples/demo-service) through tsx and lets it print its URLs.
// PORT (default 3000, 0 = any free port), DATABASE_URL and REDIS_URL are passed through.
// Signals are forwarded so the service shuts down gracefully; the exit code is the service's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'examples', 'demo-service', 'src', 'main.ts');
// Own process group: a terminal's Ctrl-C reaches the service only through the forwarding below, once.
const child = spawn(process.execPath, ['--import', 'tsx', entry], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
  detached: true,
});

// npm and the terminal may both deliver the same Ctrl-C; forward the first, and a later one (≥ 1 s) to force.
let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const now = Date.now();
    if (firstSignalAt !== 0 && now - firstSignalAt < 1000) return;
    if (firstSignalAt === 0) firstSignalAt = now;
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[signal] ?? 0) : 1));
});
