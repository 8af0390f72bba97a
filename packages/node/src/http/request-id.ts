import { randomFillSync } from 'node:crypto';

/** Length of a UUID in its text form (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`). */
const UUID_LENGTH = 36;

/** Default number of UUIDs formatted per batch. */
const DEFAULT_BATCH = 256;

/** The two ASCII hex digits of each byte value as one big-endian 16-bit number (`0xab` → `"ab"`). */
const HEX_PAIRS = new Uint16Array(256);
const HEX_DIGITS = '0123456789abcdef';
for (let byte = 0; byte < 256; byte++) HEX_PAIRS[byte] = (HEX_DIGITS.charCodeAt(byte >> 4) << 8) | HEX_DIGITS.charCodeAt(byte & 0x0f);

/** Offsets in the UUID text of the hex pairs of bytes 0–15 (dashes at 8, 13, 18, 23). */
const PAIR_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] as const;

/**
 * Creates a generator of random (version 4, RFC 9562) UUIDs for request ids, as unpredictable as `crypto.randomUUID()`
 * (the same CSPRNG) but cheaper to use on the request path.
 *
 * `randomUUID()` builds each id by concatenating 20 short strings; the resulting rope is flattened again by every
 * consumer (header validation, the response head, the request line), which on a hello-world server cost more than
 * generating it. This generator fills the random bytes of `batch` UUIDs at once, writes their text into one buffer
 * (two hex digits per 16-bit store), decodes it into one flat string and hands out 36-character slices of it.
 */
export function createUuidGenerator(batch: number = DEFAULT_BATCH): () => string {
  const random = Buffer.allocUnsafe(16 * batch);
  const text = Buffer.allocUnsafe(UUID_LENGTH * batch);
  const view = new DataView(text.buffer, text.byteOffset, text.byteLength);
  let ids = '';
  let next = batch;

  const refill = (): void => {
    randomFillSync(random);
    for (let i = 0; i < batch; i++) {
      const from = i * 16;
      const to = i * UUID_LENGTH;
      random[from + 6] = (random[from + 6]! & 0x0f) | 0x40; // version 4
      random[from + 8] = (random[from + 8]! & 0x3f) | 0x80; // variant 10xx
      for (let j = 0; j < 16; j++) view.setUint16(to + PAIR_AT[j]!, HEX_PAIRS[random[from + j]!]!);
      text[to + 8] = text[to + 13] = text[to + 18] = text[to + 23] = 0x2d; // '-'
    }
    ids = text.toString('latin1');
    next = 0;
  };

  return () => {
    if (next === batch) refill();
    const from = next++ * UUID_LENGTH;
    return ids.slice(from, from + UUID_LENGTH);
  };
}
