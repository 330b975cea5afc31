/**
 * The addresses an upload has already had, kept as 52-bit fingerprints in one typed array
 * (a fraction of what a Set of the strings takes). A fingerprint seen before means "probably
 * a repeat", never "certainly": two addresses can share one. The caller confirms a repeat
 * against the rows themselves (the import asks the database, which holds the earlier rows by
 * then), so a collision costs a lookup, never a recipient.
 */
export class SeenAddresses {
  private slots = new Float64Array(1 << 16);
  private size = 0;

  /** Whether `email`'s fingerprint was added before. */
  has(email: string): boolean {
    return this.find(this.slots, fingerprint(email)) < 0;
  }

  add(email: string): void {
    const print = fingerprint(email);
    if (this.find(this.slots, print) < 0) return;
    if (++this.size * 2 > this.slots.length) this.grow();
    this.slots[this.find(this.slots, print)] = print;
  }

  /** `~slot` (negative) where `print` is, else the empty slot it would go in. */
  private find(slots: Float64Array, print: number): number {
    const mask = slots.length - 1;
    for (let i = print % slots.length; ; i = (i + 1) & mask) {
      if (slots[i] === print) return ~i;
      if (slots[i] === 0) return i;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const print of old) if (print !== 0) this.slots[this.find(this.slots, print)] = print;
  }
}

/** FNV-1a, and the same walk with MurmurHash's multiplier → 52 bits, never 0 (0 marks an empty slot). */
function fingerprint(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) + (b >>> 12) * 2 ** 32 || 1;
}
