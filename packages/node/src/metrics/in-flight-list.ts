import type { InFlightRequest } from './http-metrics.js';

/** The requests in flight on one HTTP metrics recorder. */
export interface InFlightList {
  /** The requests in flight, in no particular order (read at scrape time). */
  readonly requests: readonly InFlightRequest[];
  /** Adds `request` (no-op when it is already in). */
  add(request: InFlightRequest): void;
  /** Removes `request` (no-op when it is not in). */
  delete(request: InFlightRequest): void;
}

type Slotted = InFlightRequest & Record<symbol, number | undefined>;

/**
 * Creates an in-flight list: an array in which each request remembers its own index (under a symbol of this list),
 * so adding and removing cost a property write and a swap with the last entry. A `Set` of objects hashes each
 * request and rehashes as it grows and shrinks with the load, several times per request on a busy server. Objects
 * that cannot take a property (frozen ones) are kept in a `Set` instead.
 */
export function createInFlightList(): InFlightList {
  const slot = Symbol('vigil.inFlightSlot');
  const requests: InFlightRequest[] = [];
  const frozen = new Set<InFlightRequest>();
  return {
    get requests() {
      return frozen.size === 0 ? requests : [...requests, ...frozen];
    },
    add(request) {
      const r = request as Slotted;
      const at = r[slot];
      if (at !== undefined && at >= 0) return;
      try {
        r[slot] = requests.length;
      } catch {
        // Not extensible (module code is strict: the write throws).
        frozen.add(request);
        return;
      }
      requests.push(request);
    },
    delete(request) {
      const r = request as Slotted;
      const at = r[slot];
      if (at === undefined) {
        frozen.delete(request);
        return;
      }
      if (at < 0 || requests[at] !== request) return;
      const last = requests.pop()!;
      if (last !== request) {
        requests[at] = last;
        (last as Slotted)[slot] = at;
      }
      r[slot] = -1;
    },
  };
}
