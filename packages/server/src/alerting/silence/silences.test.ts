import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { Silences } from './silences.js';

const M = 60_000;
const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

describe('silences', () => {
  it('mutes matching labels while active; pending and expired ones do not', async () => {
    const clock = createManualClock();
    const s = new Silences(clock, undefined);
    const now = clock.now();
    const active = await s.upsert({ matchers: [m('service', 'api'), m('env', 'dev', false, false)], startsAt: now, endsAt: now + 60 * M, createdBy: 'a', comment: 'c' });
    const pending = await s.upsert({ matchers: [m('service', 'web')], startsAt: now + 10 * M, endsAt: now + 60 * M, createdBy: 'a', comment: 'c' });
    expect(s.mutedBy({ service: 'api', env: 'prod' })).toEqual([active]);
    expect(s.mutedBy({ service: 'api', env: 'dev' })).toEqual([]);
    expect(s.mutedBy({ service: 'web' })).toEqual([]);
    await clock.advance(10 * M);
    expect(s.mutedBy({ service: 'web' })).toEqual([pending]);
    await s.expire(active);
    expect(s.mutedBy({ service: 'api' })).toEqual([]);
    await expect(s.expire(active)).rejects.toMatchObject({ code: 'VIGIL_ERR_SILENCE_INVALID' });
  });

  it('rejects what Alertmanager rejects', async () => {
    const clock = createManualClock();
    const s = new Silences(clock, undefined);
    const now = clock.now();
    const ok = { startsAt: now, endsAt: now + M, createdBy: 'a', comment: 'c' };
    await expect(s.upsert({ ...ok, matchers: [] })).rejects.toThrow('at least one matcher');
    await expect(s.upsert({ ...ok, matchers: [m('a', '.*', true)] })).rejects.toThrow('must not match the empty string');
    await expect(s.upsert({ ...ok, matchers: [m('a', 'b')], endsAt: now - 1 })).rejects.toThrow();
    await expect(s.upsert({ ...ok, matchers: [m('a', 'b')], comment: '' })).rejects.toThrow('comment');
    await expect(s.upsert({ ...ok, id: 'nope', matchers: [m('a', 'b')] })).rejects.toMatchObject({ code: 'VIGIL_ERR_SILENCE_NOT_FOUND' });
  });

  it('updates in place when only the end or comment changes, else replaces', async () => {
    const clock = createManualClock();
    const s = new Silences(clock, undefined);
    const now = clock.now();
    const id = await s.upsert({ matchers: [m('a', 'b')], startsAt: now, endsAt: now + M, createdBy: 'x', comment: 'y' });
    expect(await s.upsert({ id, matchers: [m('a', 'b')], startsAt: now, endsAt: now + 2 * M, createdBy: 'x', comment: 'longer' })).toBe(id);
    const other = await s.upsert({ id, matchers: [m('a', 'c')], startsAt: now, endsAt: now + 2 * M, createdBy: 'x', comment: 'y' });
    expect(other).not.toBe(id);
    expect(s.list().find((x) => x.id === id)!.endsAt).toBe(now);
  });
});
