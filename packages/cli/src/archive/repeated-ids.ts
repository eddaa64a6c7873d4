/**
 * An id twice in one kind, told with memory bounded whatever the archive's
 * size: every reader of resonant refuses such an archive (the server would
 * take the second object as a conflict with the first, and verify would call
 * one of them changed), and the archive writer refuses to write one. Ids are
 * kept as 64-bit fingerprints (id-set.ts); a fingerprint seen twice makes the
 * id a suspect, and only the suspects' exact ids are kept, to be confirmed by
 * reading the archive again ({@link confirmRepeats}).
 * @module
 */
import { type ArchiveRecord, objectKey, recordKey } from "./format.js";
import { FingerprintSet } from "./id-set.js";
import type { ArchiveInput } from "./input.js";
import { ArchiveReader } from "./reader.js";

/** Notes the ids of records as they come; see the module comment. */
export class RepeatedIds {
  // One set per kind (ids are unique within a kind only), so each fingerprint is of the id alone: no string is
  // built per record (the kind and the id as one key cost about a third more).
  readonly #seen = new Map<string, FingerprintSet>();
  #kind: string | undefined;
  #set = new FingerprintSet();
  /** An emptied table for the next kind (see {@link RepeatedIds.endKind}). */
  #spare: FingerprintSet | undefined;
  readonly #keep: boolean;
  /** The {@link objectKey}s whose fingerprint came before: the same id again, or (about once in 10^19 pairs) another. */
  readonly suspects = new Set<string>();

  /** With `keep` false, the suspects are not kept: for a caller that has nothing to read again. */
  constructor(keep = true) {
    this.#keep = keep;
  }

  /** Notes `id` in `kind`; false when its fingerprint came before, which makes it a suspect. */
  add(kind: string, id: unknown): boolean {
    if (kind !== this.#kind) {
      this.#kind = kind;
      let set = this.#seen.get(kind);
      if (set === undefined) {
        set = this.#spare ?? new FingerprintSet();
        this.#spare = undefined;
        this.#seen.set(kind, set);
      }
      this.#set = set;
    }
    if (this.#set.add(typeof id === "string" ? id : String(id))) return true;
    if (this.#keep) this.suspects.add(objectKey(kind, id));
    return false;
  }

  /**
   * Forgets the fingerprints noted so far, keeping the suspects: for a writer, whose records of a kind all come
   * together, at each new kind, so memory holds the largest kind's ids rather than the whole archive's.
   */
  endKind(): void {
    // The last kind's table, emptied, takes the next kind: a new one would grow again, and the old tables, off
    // V8's heap, waited for a full collection (at a million records, 15 to 30 MB more at the peak).
    this.#set.clear();
    this.#spare = this.#set;
    this.#seen.clear();
    this.#kind = undefined;
  }
}

/** A record whose id came before in its kind, with the first record of that id. */
export interface Repeat {
  /** The second (or later) record. */
  record: ArchiveRecord;
  /** Where the first was. */
  first: Pick<ArchiveRecord, "kind" | "index" | "line" | "offset">;
}

/**
 * Reads `input` again for the `suspects` ({@link RepeatedIds.suspects}): the records whose id really came before
 * in their kind (the first `limit` of them, in the file's order), and how many there are in all.
 */
export async function confirmRepeats(
  input: Pick<ArchiveInput, "path" | "name">,
  suspects: ReadonlySet<string>,
  limit = 20,
): Promise<{ count: number; repeats: Repeat[] }> {
  const first = new Map<string, Repeat["first"]>();
  const repeats: Repeat[] = [];
  let count = 0;
  for await (const record of new ArchiveReader(input).records()) {
    const key = recordKey(record);
    if (!suspects.has(key)) continue;
    const before = first.get(key);
    if (before === undefined) {
      const { kind, index, line, offset } = record;
      first.set(key, { kind, index, line, offset });
    } else if (count++ < limit) repeats.push({ record, first: before });
  }
  return { count, repeats };
}
