import { describe, expect, it } from 'vitest';
import { createInFlightList } from './in-flight-list.js';

const request = (route: string) => ({ method: 'GET', route: () => route });

describe('createInFlightList', () => {
  it('holds exactly the requests added and not yet deleted, whatever the order', () => {
    const list = createInFlightList();
    const reqs = Array.from({ length: 50 }, (_, i) => request(`/r/${i}`));
    const model = new Set<object>();
    let x = 12345;
    for (let step = 0; step < 5000; step++) {
      x = (x * 48271) % 2147483647;
      const r = reqs[x % reqs.length]!;
      if (x % 3 === 0) {
        list.delete(r);
        model.delete(r);
      } else {
        list.add(r);
        model.add(r);
      }
      expect(list.requests.length).toBe(model.size);
    }
    expect(new Set(list.requests)).toEqual(model);
  });

  it('ignores a second add and a delete of a request it does not hold', () => {
    const list = createInFlightList();
    const a = request('/a');
    const b = request('/b');
    list.add(a);
    list.add(a);
    list.delete(b);
    expect(list.requests).toEqual([a]);
    list.delete(a);
    list.delete(a);
    expect(list.requests).toEqual([]);
  });

  it('keeps separate lists apart for the same request, and takes frozen requests too', () => {
    const one = createInFlightList();
    const two = createInFlightList();
    const a = request('/a');
    const frozen = Object.freeze(request('/frozen'));
    one.add(a);
    two.add(a);
    one.add(frozen);
    one.delete(a);
    expect(one.requests).toEqual([frozen]);
    expect(two.requests).toEqual([a]);
    one.delete(frozen);
    expect(one.requests).toEqual([]);
  });
});
