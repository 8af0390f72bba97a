import { describe, expect, it } from 'vitest';
import { needsUpdate } from './nflog.js';

const entry = (firing: string[], resolved: string[], sentAt: number) => ({ firingSet: new Set(firing), resolvedSet: new Set(resolved), sentAt });
const H = 3_600_000;

describe('needsUpdate (Alertmanager dedup)', () => {
  it.each([
    ['nothing sent yet, something fires', undefined, ['a'], [], true, true],
    ['nothing sent yet, only resolved', undefined, [], ['a'], true, false],
    ['same firing set within repeat_interval', entry(['a', 'b'], [], 0), ['a', 'b'], [], true, false],
    ['a firing alert is new', entry(['a'], [], 0), ['a', 'b'], [], true, true],
    ['firing subset (one silenced) within repeat', entry(['a', 'b'], [], 0), ['a'], [], true, false],
    ['all resolved after firing', entry(['a'], [], 0), [], ['a'], true, true],
    ['all resolved, nothing fired before', entry([], ['a'], 0), [], ['a'], true, false],
    ['new resolved alert with send_resolved', entry(['a', 'b'], [], 0), ['a'], ['b'], true, true],
    ['new resolved alert without send_resolved', entry(['a', 'b'], [], 0), ['a'], ['b'], false, false],
  ] as const)('%s', (_name, e, firing, resolved, sendResolved, want) => {
    expect(needsUpdate(e, firing, resolved, sendResolved, 4 * H, H)).toBe(want);
  });

  it('re-notifies once repeat_interval has elapsed', () => {
    expect(needsUpdate(entry(['a'], [], 0), ['a'], [], true, 4 * H, 4 * H - 1)).toBe(false);
    expect(needsUpdate(entry(['a'], [], 0), ['a'], [], true, 4 * H, 4 * H)).toBe(true);
  });
});
