import type { LabelSet } from './types.js';

const enc = new TextEncoder();

/**
 * Fingerprint of a label set, equal to Alertmanager's (Prometheus `model.LabelSet.Fingerprint`):
 * 64-bit FNV-1a over the sorted names and values, each followed by 0xff, as 16 hex digits.
 */
export function fingerprint(labels: LabelSet): string {
  // 64-bit FNV-1a kept in two 32-bit halves: prime 2^40 + 0x1b3.
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  const add = (b: number): void => {
    lo = (lo ^ b) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 4294967296);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = loMul >>> 0;
  };
  const addString = (s: string): void => {
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
    if (ascii) for (let i = 0; i < s.length; i++) add(s.charCodeAt(i));
    else for (const b of enc.encode(s)) add(b);
    add(0xff);
  };
  const names = Object.keys(labels).sort();
  for (const n of names) {
    addString(n);
    addString(labels[n]!);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
