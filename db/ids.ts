import { randomBytes } from 'node:crypto';

let last: Buffer | undefined;

/**
 * UUIDv7: time-ordered, so primary-key order is creation order and cursor pagination can
 * page on the id alone. 48 bits of milliseconds, then 74 random bits; within one
 * millisecond (or if the clock steps back) the previous id plus one, so ids made by this
 * process are strictly increasing: audit entries and ledger rows sort as they were written.
 */
export function newId(now: number = Date.now()): string {
  let bytes: Buffer;
  if (last && now <= last.readUIntBE(0, 6)) {
    bytes = Buffer.from(last);
    for (let i = 15; i >= 9; i--) {
      bytes[i] = (bytes[i] + 1) & 0xff;
      if (bytes[i] !== 0) break;
    }
  } else {
    bytes = randomBytes(16);
    bytes.writeUIntBE(now, 0, 6);
    bytes[9] &= 0x7f; // headroom so the increments above do not overflow into the variant
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  last = bytes;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
