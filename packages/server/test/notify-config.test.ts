/**
 * Receiver configs, differential against the real `amtool check-config` (Alertmanager 0.25):
 * every fixture Vigil accepts amtool accepts, and every fixture amtool rejects Vigil rejects too,
 * with a coded error naming file:line:column and the field.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseReceiverIntegrations } from '../src/notify/parse-receiver.js';
import { ReceiverConfigError } from '../src/notify/notify-errors.js';
import { receiversFromYaml } from './notify-support.js';

const run = promisify(execFile);
const dir = join(import.meta.dirname, 'notify-fixtures');

async function amtoolAccepts(file: string): Promise<boolean> {
  try {
    await run('amtool', ['check-config', file]);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new Error('amtool is not installed (apt-get install prometheus-alertmanager)');
    return false;
  }
}

function vigilParse(file: string): void {
  const { global, receivers } = receiversFromYaml(readFileSync(file, 'utf8'), file);
  for (const r of receivers) parseReceiverIntegrations(r.raw, global, r.source);
}

describe('receiver configs agree with amtool check-config', () => {
  for (const name of readdirSync(join(dir, 'valid'))) {
    it(`accepts valid/${name}, as amtool does`, async () => {
      const file = join(dir, 'valid', name);
      expect(await amtoolAccepts(file)).toBe(true);
      expect(() => vigilParse(file)).not.toThrow();
    });
  }
  for (const name of readdirSync(join(dir, 'invalid'))) {
    it(`rejects invalid/${name} with file:line:col, as amtool does`, async () => {
      const file = join(dir, 'invalid', name);
      expect(await amtoolAccepts(file)).toBe(false);
      let err: unknown;
      try {
        vigilParse(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ReceiverConfigError);
      const e = err as ReceiverConfigError;
      expect(e.code).toBe('VIGIL_ERR_RECEIVER_INVALID');
      expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
      expect(e.location.line).toBeGreaterThan(1);
    });
  }
});
