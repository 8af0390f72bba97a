/**
 * Child process of bench/alerting.ts: runs Vigil's alerting pipeline (SQLite state store) with the
 * API v2 plugin on a free loopback port and prints `PORT <n>` on stdout. Args: <alertmanager.yml> <state dir>.
 */
import path from 'node:path';
import Fastify from 'fastify';
import { createAlertingPipeline, createAlertmanagerApiPlugin, createSqliteStateStore, loadAlertmanagerConfig } from '@vigil/server';

const [configPath, stateDir] = process.argv.slice(2);
const config = await loadAlertmanagerConfig(configPath!);
const store = createSqliteStateStore({ path: path.join(stateDir!, 'state.db') });
const pipeline = await createAlertingPipeline({ config, store });
const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
await app.register(createAlertmanagerApiPlugin({ pipeline }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`PORT ${new URL(url).port}\n`);
const stop = async () => {
  await pipeline.stop();
  await app.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
