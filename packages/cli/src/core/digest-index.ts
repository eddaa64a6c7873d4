/**
 * Objects by kind and id, each with its content digest and a mark, for verify, restore and the dry runs of import
 * and copy: about 40 bytes an object in typed arrays, where a `Map` of id strings to base64 digests held about 200.
 * The ids themselves are not kept: each object is keyed by a 128-bit fingerprint of its kind and id, the first 16
 * bytes of their SHA-256. An archive is untrusted input, so the fingerprint is cryptographic: two ids that shared one
 * would make verify call two objects one, and crafting such a pair is finding a collision of SHA-256 cut to 128 bits,
 * the same assumption the content digests already rest on (canonical.ts). A caller that needs the ids again (the
 * objects the account lacks) reads them again from where they came.
 * @module
 */
import { hash } from "node:crypto";

/** Bytes of an entry: the fingerprint (16), then the content digest (16). */
const ENTRY = 32;
const WORDS = ENTRY / 4;
const FIRST = 1024;

// The last fingerprint, set by `fingerprint`: module scratch rather than a returned array, which cost one per id.
const fp = new Uint32Array(4);
const fpBytes = new Uint8Array(fp.buffer);

/**
 * Sets `fp` to the first 16 bytes of the SHA-256 of `kind` and `id`. The kind goes first with its length, so no two
 * pairs make one text; the text is hashed as UTF-16 code units, which keeps an id that is not well-formed Unicode (a
 * lone surrogate, which UTF-8 would turn into U+FFFD) apart from every other.
 */
function fingerprint(kind: string, id: string): void {
  fpBytes.set(hash("sha256", Buffer.from(`${kind.length}:${kind}${id}`, "utf16le"), "buffer").subarray(0, 16));
}

/** See the module comment. Entries are numbered from 0 in the order they were added. */
export class DigestIndex {
  /** The entries, one after another (dense, grown by doubling), as bytes and as 32-bit words over the same memory. */
  #bytes = new Uint8Array(ENTRY * FIRST);
  #words = new Uint32Array(this.#bytes.buffer);
  /** 1 for a marked entry. */
  #marks = new Uint8Array(FIRST);
  /** Open addressing by linear probing: entry number + 1 a slot, 0 for an empty one; kept at most half full. */
  #slots = new Uint32Array(2 * FIRST);
  #size = 0;

  /** How many entries it holds. */
  get size(): number {
    return this.#size;
  }

  /** The entry of `id` in `kind`, or -1. */
  find(kind: string, id: string): number {
    fingerprint(kind, id);
    const slot = this.#probe(this.#slots);
    return this.#slots[slot]! - 1;
  }

  /** Adds `id` in `kind` with its content `digest` (16 bytes); false, changing nothing, when it is there already. */
  add(kind: string, id: string, digest: Uint8Array): boolean {
    fingerprint(kind, id);
    let slot = this.#probe(this.#slots);
    if (this.#slots[slot] !== 0) return false;
    const entry = this.#size;
    if (entry === this.#marks.length) this.#growEntries();
    this.#words.set(fp, entry * WORDS);
    this.#bytes.set(digest, entry * ENTRY + 16);
    this.#size++;
    if (this.#size * 2 > this.#slots.length) {
      this.#growSlots();
      slot = this.#probe(this.#slots);
    }
    this.#slots[slot] = entry + 1;
    return true;
  }

  /** True when `entry`'s content digest is `digest`. */
  sameDigest(entry: number, digest: Uint8Array): boolean {
    const at = entry * ENTRY + 16;
    for (let i = 0; i < 16; i++) if (this.#bytes[at + i] !== digest[i]) return false;
    return true;
  }

  /** Replaces `entry`'s content digest. */
  setDigest(entry: number, digest: Uint8Array): void {
    this.#bytes.set(digest, entry * ENTRY + 16);
  }

  /** True when `entry` was marked. */
  marked(entry: number): boolean {
    return this.#marks[entry] === 1;
  }

  /** Marks `entry` (what a mark means is the caller's: diff.ts marks an archive object the account sent). */
  mark(entry: number): void {
    this.#marks[entry] = 1;
  }

  /** The slot of `fp` in `slots`: its entry's, or the empty one where it would go. */
  #probe(slots: Uint32Array): number {
    const words = this.#words;
    const mask = slots.length - 1;
    for (let i = fp[0]! & mask; ; i = (i + 1) & mask) {
      const e = slots[i]!;
      if (e === 0) return i;
      const at = (e - 1) * WORDS;
      if (words[at] === fp[0] && words[at + 1] === fp[1] && words[at + 2] === fp[2] && words[at + 3] === fp[3])
        return i;
    }
  }

  /** Doubles the room for entries. */
  #growEntries(): void {
    const bytes = new Uint8Array(this.#bytes.length * 2);
    bytes.set(this.#bytes);
    this.#bytes = bytes;
    this.#words = new Uint32Array(bytes.buffer);
    const marks = new Uint8Array(this.#marks.length * 2);
    marks.set(this.#marks);
    this.#marks = marks;
  }

  /** Doubles the slots, placing each entry again by its fingerprint (no id is hashed again). */
  #growSlots(): void {
    const slots = new Uint32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    const words = this.#words;
    // Entries are distinct, so each needs only an empty slot: no comparison.
    for (let e = 0; e < this.#size - 1; e++) {
      let i = words[e * WORDS]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.#slots = slots;
  }
}
