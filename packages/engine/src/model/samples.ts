/**
 * Prometheus's staleness marker: a NaN with a distinct bit pattern (0x7ff0000000000002) written
 * when a series disappears from a scrape. Ordinary NaN values are not stale.
 */
export const STALE_NAN: number = (() => {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setUint32(0, 0x7ff00000);
  buf.setUint32(4, 0x00000002);
  return buf.getFloat64(0);
})();

const probe = new DataView(new ArrayBuffer(8));

/** True when `v` is exactly the staleness marker (not merely NaN). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  probe.setFloat64(0, v);
  return probe.getUint32(0) === 0x7ff00000 && probe.getUint32(4) === 0x00000002;
}
