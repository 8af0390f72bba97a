import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresUrl, requireService } from '@vigil/test-support';
import { createPostgresStateStore, createSqliteStateStore, type StateStore } from '../src/state/index.js';

const migrations = [
  { id: '001_items', up: 'CREATE TABLE items (k TEXT PRIMARY KEY, v BIGINT NOT NULL, note TEXT);\nCREATE INDEX items_v ON items (v)' },
  { id: '002_flags', up: { sqlite: 'ALTER TABLE items ADD COLUMN flag INTEGER NOT NULL DEFAULT 0', postgres: 'ALTER TABLE items ADD COLUMN flag INTEGER NOT NULL DEFAULT 0' } },
];

function contract(name: string, open: () => Promise<StateStore | undefined>) {
  describe(`state store contract: ${name}`, () => {
    it('migrates once, queries with $n placeholders, returns numbers for BIGINT, batches and upserts', async () => {
      const store = await open();
      if (!store) return;
      try {
        await store.migrate('test', migrations);
        await store.migrate('test', migrations);
        const applied = await store.query<{ id: string }>('SELECT id FROM vigil_migrations WHERE namespace = $1 ORDER BY id', ['test']);
        expect(applied.map((r) => r.id)).toEqual(['001_items', '002_flags']);
        await store.executeMany('INSERT INTO items (k, v, note) VALUES ($1, $2, $3) ON CONFLICT (k) DO UPDATE SET v = excluded.v', [
          ['a', 1_700_000_000_123, 'x'],
          ['b', 2, null],
          ['a', 3, 'y'],
        ]);
        const rows = await store.query<{ k: string; v: number; note: string | null; flag: number }>('SELECT k, v, note, flag FROM items WHERE v >= $2 AND k <> $1 ORDER BY k', ['zz', 0]);
        expect(rows).toEqual([
          { k: 'a', v: 3, note: 'x', flag: 0 },
          { k: 'b', v: 2, note: null, flag: 0 },
        ]);
        expect(await store.execute('DELETE FROM items WHERE k = $1', ['b'])).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('rolls a failed transaction back and commits a good one', async () => {
      const store = await open();
      if (!store) return;
      try {
        await store.migrate('test', migrations);
        await expect(
          store.transaction(async (tx) => {
            await tx.execute('INSERT INTO items (k, v) VALUES ($1, $2)', ['t1', 1]);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await store.transaction(async (tx) => {
          await tx.execute('INSERT INTO items (k, v) VALUES ($1, $2)', ['t2', 2]);
          await tx.executeMany('INSERT INTO items (k, v) VALUES ($1, $2)', [['t3', 3]]);
        });
        const rows = await store.query<{ k: string }>('SELECT k FROM items ORDER BY k');
        expect(rows.map((r) => r.k)).toEqual(['t2', 't3']);
        await expect(store.execute('INSERT INTO nope VALUES ($1)', [1])).rejects.toMatchObject({ code: 'VIGIL_ERR_STATE_STORE' });
      } finally {
        await store.close();
      }
    });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-state-'));
let n = 0;
contract('sqlite', async () => createSqliteStateStore({ path: path.join(tmp, `db${n++}`, 'state.db') }));

const schemas: string[] = [];
contract('postgres', async () => {
  if (!(await requireService(postgresUrl()))) return undefined;
  const schema = `vigil_state_test_${process.pid}_${Date.now()}_${n++}`;
  schemas.push(schema);
  return createPostgresStateStore({ connectionString: postgresUrl(), schema });
});

it('sqlite store persists across reopen', async () => {
  const file = path.join(tmp, 'reopen', 'state.db');
  const a = createSqliteStateStore({ path: file });
  await a.migrate('test', migrations);
  await a.execute('INSERT INTO items (k, v) VALUES ($1, $2)', ['kept', 42]);
  await a.close();
  const b = createSqliteStateStore({ path: file });
  expect(await b.query('SELECT k, v FROM items')).toEqual([{ k: 'kept', v: 42 }]);
  await b.close();
});

it('postgres errors never contain the connection password', async () => {
  if (!(await requireService(postgresUrl()))) return;
  const u = new URL(postgresUrl());
  u.password = 's3cr3t-pass';
  u.pathname = '/no_such_database_vigil';
  const err = await createPostgresStateStore({ connectionString: u.toString() }).then(
    (s) => s.close(),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(String((err as Error).message)).not.toContain('s3cr3t-pass');
});

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const c = new pg.Client({ connectionString: postgresUrl() });
  await c.connect();
  for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await c.end();
});
