import type { LabelSet } from './types.js';

const enc = new TextEncoder();

// 64-bit FNV-1a state kept in two unsigned 32-bit halves (prime 2^40 + 0x1b3); module-level so the
// hot path allocates nothing.
let lo = 0;
let hi = 0;

function addByte(b: number): void {
  lo = (lo ^ b) >>> 0;
  const loMul = lo * 0x1b3;
  hi = (Math.imul(hi, 0x1b3) + Math.floor(loMul / 4294967296) + (lo << 8)) >>> 0;
  lo = loMul >>> 0;
}

function addString(s: string): void {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) for (let i = 0; i < s.length; i++) addByte(s.charCodeAt(i));
  else for (const b of enc.encode(s)) addByte(b);
  addByte(0xff);
}

/**
 * Fingerprint of a label set, equal to Alertmanager's (Prometheus `model.LabelSet.Fingerprint`):
 * 64-bit FNV-1a over the sorted names and values, each followed by 0xff, as 16 hex digits.
 */
export function fingerprint(labels: LabelSet): string {
  lo = 0x84222325;
  hi = 0xcbf29ce4;
  const names = Object.keys(labels).sort();
  for (const n of names) {
    addString(n);
    addString(labels[n]!);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
