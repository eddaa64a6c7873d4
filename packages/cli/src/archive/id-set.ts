/**
 * A set of strings kept as 64-bit fingerprints in one typed array, for
 * telling whether an archive's id came before: 16 bytes an id at most, where
 * a `Set` of the ids themselves holds about 80 (77 MB for a million UUIDs,
 * beside a run whose peak is documented). A fingerprint seen twice is only a
 * suspect: two ids share one about once in 10^19 pairs, so the caller
 * confirms each suspect on the ids themselves before it says anything.
 * @module
 */

const EMPTY_SLOTS = 1024;

/** See the module comment. */
export class FingerprintSet {
  /** Two words a slot (the fingerprint's halves); 0, 0 is an empty slot. */
  #slots = new Uint32Array(2 * EMPTY_SLOTS);
  #size = 0;

  /** Adds `text`; answers false when its fingerprint was there already (the same text, or, rarely, another). */
  add(text: string): boolean {
    fingerprint(text);
    if ((this.#size + 1) * 2 > this.#slots.length / 2) this.#grow();
    if (!this.#put(this.#slots, hi, lo)) return false;
    this.#size++;
    return true;
  }

  /** Empties the set, keeping its table: a set grown for one kind takes the next without growing again. */
  clear(): void {
    this.#slots.fill(0);
    this.#size = 0;
  }

  /** Puts a fingerprint into `slots` by linear probing; false when it is there. */
  #put(slots: Uint32Array, hi: number, lo: number): boolean {
    const mask = slots.length / 2 - 1;
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      const a = slots[2 * i]!;
      const b = slots[2 * i + 1]!;
      if (a === 0 && b === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        return true;
      }
      if (a === hi && b === lo) return false;
    }
  }

  /** Doubles the table (kept at most half full, so a probe stays short). */
  #grow(): void {
    const old = this.#slots;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2)
      if (old[i] !== 0 || old[i + 1] !== 0) this.#put(slots, old[i]!, old[i + 1]!);
    this.#slots = slots;
  }
}

// The last fingerprint's halves: module variables rather than a returned pair, which cost an array per id.
let hi = 0;
let lo = 0;

/**
 * Sets `hi` and `lo` to two independent 32-bit hashes of `text`'s UTF-16 code units (FNV-1a style, each with its
 * own basis, multiplier and shift, then a final mix), never both 0. Two units are taken a step (each is 16 bits,
 * so the pair is one 32-bit word, nothing lost): half the steps of one unit at a time. The shift brings each
 * step's high bits down, where a multiplication alone never carries the second unit of a pair.
 */
function fingerprint(text: string): void {
  const n = text.length;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ n;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const c = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h1 ^= h1 >>> 16;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  if (i < n) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h1 ^= h1 >>> 16;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = mix(h1);
  h2 = mix(h2 ^ h1);
  hi = h1 >>> 0;
  lo = h2 >>> 0 || 1;
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
