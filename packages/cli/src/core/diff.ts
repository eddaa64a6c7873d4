/**
 * The difference between an archive and a live account, kind by kind and
 * object by object: ids first, then content. The archive is read into an
 * index of a fingerprint of each id and a short digest of its content
 * (digest-index.ts: neither the objects nor their ids), the account is
 * streamed past it, and the archive is read again only when the account lacks
 * some of its objects or holds some changed: for the ids of the first, and
 * the names of the fields that changed in the second. Both sides are
 * compared without loss (a number a double cannot hold is compared by its
 * digits), and a top-level field that is null on one side and absent on
 * the other is no difference (`contentDigestBytes` and `changedFields`: one
 * rule, so an object found changed always names a field). Archive records are first upgraded to the account's
 * API version, so a 1.0 backup can be checked against a 1.2 account.
 * @module
 */
import type { ApiVersion, ResonantClient } from "@resonantgenesis/sdk";
import { importOrder } from "@resonantgenesis/schemas/meta";
import { type ArchiveInfo, type ArchiveRecord, objectKey, recordKey } from "../archive/format.js";
import type { ArchiveInput } from "../archive/input.js";
import { ArchiveReader } from "../archive/reader.js";
import { changedFields, contentDigestBytes } from "./canonical.js";
import { DigestIndex } from "./digest-index.js";
import { exactData } from "./exact.js";
import { type ApartWarnings, liveRecords, repeatedLive } from "./records.js";

/** The difference for one kind. */
export interface KindDiff {
  /** The kind. */
  kind: string;
  /** Objects in the archive. */
  archive: number;
  /** Objects in the account. */
  account: number;
  /** In the archive, not in the account. */
  missing: number;
  /** In both, with different content. */
  changed: number;
  /** In the account, not in the archive. */
  extra: number;
}

/** The whole difference, with the ids (the field names for the first `detailLimit` changed objects). */
export interface ArchiveDiff {
  /** Per kind, in dependency order. */
  kinds: KindDiff[];
  /** Objects the account lacks. */
  missing: { kind: string; id: string }[];
  /** Objects whose content differs, and which top-level fields differ. */
  changed: { kind: string; id: string; fields?: string[] }[];
  /** Objects the archive lacks. */
  extra: { kind: string; id: string }[];
}

const DETAIL_LIMIT = 1000;
/** The digest an account object the archive lacks is kept with: it is compared with nothing. */
const NO_DIGEST = new Uint8Array(16);

/** What a comparison leaves out. */
export interface DiffOptions {
  /** Top-level fields not compared. */
  ignore?: ReadonlySet<string> | undefined;
  /** Account objects the archive does not speak for, compared with nothing and counted nowhere. */
  leaveOut?: ((kind: string, object: Record<string, unknown>) => boolean) | undefined;
  /** The kinds compared, when not all the archive names: a migration's backup holds those its run wrote alone. */
  kinds?: ReadonlySet<string> | undefined;
}

/**
 * The archive's half of a comparison: an entry per object (its id's fingerprint and its content's digest). Built in
 * the read that checks the archive (verify.ts): `checkArchiveWith` notes each record's id here, where a repeated id
 * is told as surely as `RepeatedIds` tells it, and each digest follows as its record is read; those the read could
 * not take are taken by {@link diffArchive}, reading the archive again. (How many each kind holds, the archive's
 * info counted in the same read.)
 */
export class ArchiveDigests {
  readonly index = new DigestIndex();
  /** The {@link objectKey}s of ids noted before, for `checkArchiveWith` to confirm and refuse. */
  readonly suspects = new Set<string>();
  #last = -1;
  #noted = 0;
  #digested = 0;

  /** Notes `id` in `kind`, its digest to follow; false when it came before. */
  add(kind: string, id: unknown): boolean {
    this.#noted++;
    const key = String(id);
    if (this.index.add(kind, key, NO_DIGEST)) {
      this.#last = this.index.size - 1;
      return true;
    }
    this.#last = this.index.find(kind, key);
    this.suspects.add(objectKey(kind, id));
    return false;
  }

  /** Gives the object whose id was noted last its content `digest`. */
  digestLast(digest: Uint8Array): void {
    this.index.setDigest(this.#last, digest);
    this.#digested++;
  }

  /** True when every object noted has its digest. */
  get complete(): boolean {
    return this.#digested === this.#noted;
  }
}

/** The digest a record is compared by: its content, upgraded to the account's version, `ignore` left out. */
export function recordDigest(
  record: ArchiveRecord,
  upgrade: (kind: string, data: unknown) => unknown,
  ignore?: ReadonlySet<string>,
): Uint8Array {
  return contentDigestBytes(upgrade(record.kind, exactData(record)), ignore);
}

/**
 * Compares the archive `input` (already checked: `info`, with its ids noted in `archive`) with the account of
 * `client` (`warnings`: see {@link ApartWarnings}), the archive's records upgraded by `upgrade`.
 */
export async function diffArchive(
  input: ArchiveInput,
  info: ArchiveInfo,
  archive: ArchiveDigests,
  client: ResonantClient<ApiVersion>,
  warnings: ApartWarnings,
  upgrade: (kind: string, data: unknown) => unknown,
  { ignore, leaveOut, kinds }: DiffOptions = {},
): Promise<ArchiveDiff> {
  const compared = (kind: string) => kinds === undefined || kinds.has(kind);
  if (!archive.complete) {
    // The same id twice (which a checked archive never holds) is told by the last copy, as a map's `set` would.
    for await (const record of new ArchiveReader(input).records()) {
      const entry = archive.index.find(record.kind, String((record.data as { id: unknown }).id));
      // Every id was noted in the check's read of this same file (a file changed since is refused as it is read).
      if (entry >= 0) archive.index.setDigest(entry, recordDigest(record, upgrade, ignore));
    }
  }
  // Marked once the account has sent the object, so the same id again is told from an extra; the account's objects
  // the archive lacks go in too, marked, so one of them sent twice is told as well.
  const { index } = archive;
  const stats = new Map<string, KindDiff>();
  const statOf = (kind: string) => {
    let s = stats.get(kind);
    if (!s) stats.set(kind, (s = { kind, archive: 0, account: 0, missing: 0, changed: 0, extra: 0 }));
    return s;
  };
  // Per kind, in the order the archive names them, the ids the account lacks (found by a second reading).
  const missingOf = new Map<string, { kind: string; id: string }[]>();
  for (const kind of info.kindOrder.filter(compared)) {
    statOf(kind).archive = info.counts[kind] ?? 0;
    missingOf.set(kind, []);
  }
  const diff: ArchiveDiff = { kinds: [], missing: [], changed: [], extra: [] };
  const liveChanged = new Map<string, Record<string, unknown>>();
  // How many of the archive's objects the account matched.
  const archived = index.size;
  let matched = 0;
  for await (const live of liveRecords(client, warnings, { withText: true })) {
    const { kind } = live;
    // Compared as the server wrote it when its text is at hand (NDJSON export), so no number is rounded on either side.
    const data = exactData(live) as Record<string, unknown>;
    if (!compared(kind) || leaveOut?.(kind, data)) continue;
    const s = statOf(kind);
    s.account++;
    const id = String(data.id);
    const entry = index.find(kind, id);
    if (entry < 0) {
      index.add(kind, id, NO_DIGEST);
      index.mark(index.size - 1);
      s.extra++;
      diff.extra.push({ kind, id });
      continue;
    }
    if (index.marked(entry)) repeatedLive(kind, id);
    index.mark(entry);
    matched++;
    if (!index.sameDigest(entry, contentDigestBytes(data, ignore))) {
      s.changed++;
      diff.changed.push({ kind, id });
      if (liveChanged.size < DETAIL_LIMIT) liveChanged.set(objectKey(kind, id), data);
    }
  }
  // How many of the archive's objects the account lacks: their ids are found by reading the archive again.
  let lacking = archived - matched;
  if (lacking > 0 || liveChanged.size > 0) {
    const fields = new Map<string, string[]>();
    for await (const record of new ArchiveReader(input).records()) {
      const { kind } = record;
      const id = String((record.data as { id: unknown }).id);
      const entry = lacking > 0 && compared(kind) ? index.find(kind, id) : -1;
      if (entry >= 0 && !index.marked(entry)) {
        lacking--;
        // Marked once listed: an id the archive holds twice is one object missing, as it was one entry.
        index.mark(entry);
        missingOf.get(kind)?.push({ kind, id });
        statOf(kind).missing++;
      }
      const key = recordKey(record);
      const live = liveChanged.get(key);
      if (live) fields.set(key, changedFields(upgrade(kind, exactData(record)), live, ignore));
    }
    for (const ids of missingOf.values()) for (const entry of ids) diff.missing.push(entry);
    for (const entry of diff.changed) {
      const f = fields.get(objectKey(entry.kind, entry.id));
      if (f) entry.fields = f;
    }
  }
  diff.kinds = importOrder(stats.keys()).map((kind) => stats.get(kind)!);
  return diff;
}

/** True when the account lacks an object of the archive or holds one changed (extras alone are no difference for verify). */
export function hasDifferences(diff: ArchiveDiff): boolean {
  return diff.missing.length > 0 || diff.changed.length > 0;
}
