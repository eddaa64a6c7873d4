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
    const [hi, lo] = fingerprint(text);
    if ((this.#size + 1) * 2 > this.#slots.length / 2) this.#grow();
    if (!this.#put(this.#slots, hi, lo)) return false;
    this.#size++;
    return true;
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

/** Two independent 32-bit hashes of `text`'s UTF-16 code units (FNV-1a, each with its own basis and a final mix), never both 0. */
function fingerprint(text: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = mix(h1);
  h2 = mix(h2 ^ h1);
  return [h1 >>> 0, h2 >>> 0 || 1];
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
