/**
 * What an archive is, as this tool reads and writes it: the document of
 * docs/protocol.md section 6 (its header and kinds come from
 * `@resonantgenesis/schemas/meta`: `ARCHIVE_HEADER_KEYS`, `kindsOf`,
 * `importOrder`), plus the two top-level keys the CLI adds (`counts` and
 * `checksum`), and the names of kinds (plural in archives and paths, singular
 * in NDJSON records).
 * @module
 */
import {
  isArchiveHeaderKey,
  isKind,
  KINDS,
  kindOfRecord,
  kindsOf,
  RECORD_KIND,
  type ApiVersion,
} from "@resonantgenesis/schemas/meta";
import { ArchiveError } from "../exit.js";

/** How the archive is laid out: one JSON document, or one record a line. */
export type ArchiveLayout = "json" | "ndjson";
/** The prefix of a checksum value: the algorithm, so another can follow one day. */
export const CHECKSUM_PREFIX = "sha256:";

/** The top-level keys the CLI adds at the end of every archive it writes, after the header ({@link ARCHIVE_HEADER_KEYS}) and the kinds. */
const TRAILER_KEYS = ["counts", "checksum"] as const;

/** True for a top-level key the archive itself gives a meaning (its header and trailer): never a kind, never carried. */
export function isEnvelopeKey(key: string): boolean {
  return isArchiveHeaderKey(key) || (TRAILER_KEYS as readonly string[]).includes(key);
}

/** The top-level members that are neither header nor trailer nor a kind: carried through when an archive is rewritten. NDJSON's end line adds its `kind`. */
export function extraMembers(members: Record<string, unknown>, skip: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(members).filter(([key]) => !isEnvelopeKey(key) && !skip.includes(key)));
}

/**
 * The first carried member a writer of `layout` could not write without writing a key twice: one named like a
 * known kind (every archive names its version's kinds), like one of `kinds`, like the header or the trailer, or, in
 * NDJSON, `kind` (the end line's own). The reader refuses such members; this keeps every other writer honest.
 */
export function clashingMember(
  extra: Record<string, unknown>,
  layout: ArchiveLayout,
  kinds: readonly string[] = [],
): string | undefined {
  return Object.keys(extra).find(
    (key) => isKind(key) || kinds.includes(key) || isEnvelopeKey(key) || (layout === "ndjson" && key === "kind"),
  );
}

/**
 * The archive key (plural: a JSON archive's top-level member, `agents`) of an
 * NDJSON record kind (singular: a line's `kind`, `agent`). Known kinds map by
 * the table; a newer server's kind takes its record kind plus "s" (the rule
 * every kind so far follows but "memory", and how a server's unknown records
 * are named in an export). Undefined for a name with no key: "" and one whose
 * key would be a known kind's (`memorie`). The inverse of {@link recordKindOf}:
 * one rule, which the NDJSON writer and reader both use, so every kind written
 * is read back under its own name.
 */
export function archiveKeyOf(recordKind: string): string | undefined {
  const known = kindOfRecord(recordKind);
  if (known !== undefined) return known;
  const key = `${recordKind}s`;
  return recordKind === "" || recordKind === "end" || isKind(key) ? undefined : key;
}

/**
 * The NDJSON record kind of an archive key: the table for known kinds, else
 * the key less its final "s" ({@link archiveKeyOf} backwards). Undefined for a
 * key that no record kind reads back as: one that does not end in "s" (`x`,
 * `people`, `data`), `s` alone, `ends` (an `end` line closes the archive), and
 * one whose record kind is a known kind's (`memorys`). Such a kind can only be
 * written in a JSON archive.
 */
export function recordKindOf(kind: string): string | undefined {
  if (isKind(kind)) return RECORD_KIND[kind];
  if (kind.length < 2 || !kind.endsWith("s")) return undefined;
  const recordKind = kind.slice(0, -1);
  return archiveKeyOf(recordKind) === kind ? recordKind : undefined;
}

/** The length of the start `a` and `b` share. */
function sharedStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The archive key of each record kind resonant does not know whose key the `end` line's `counts` state under
 * another name than {@link archiveKeyOf}'s (`policy` records counted as `policies`): the only place a server
 * names such a kind. `seen` holds each record kind met, in order, with its records. A kind whose rule name is
 * stated keeps it; each other one takes a stated key that no record kind claims, of a kind resonant does not
 * know, counting as many records: of those, the one whose name starts most like the record kind's, the first
 * stated on a tie. A kind no key fits (an end line that counts it nowhere) is left out: it keeps the rule.
 */
export function statedNames(seen: ReadonlyMap<string, number>, stated: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (stated === null || typeof stated !== "object" || Array.isArray(stated)) return names;
  const counts = stated as Record<string, unknown>;
  const unknown = [...seen].filter(([recordKind]) => kindOfRecord(recordKind) === undefined);
  const claimed = new Set(unknown.map(([recordKind]) => archiveKeyOf(recordKind)));
  const free = Object.keys(counts).filter(
    (key) => !isKind(key) && !isEnvelopeKey(key) && key !== "kind" && !claimed.has(key) && Number(counts[key]) > 0,
  );
  for (const [recordKind, n] of unknown) {
    const rule = archiveKeyOf(recordKind);
    if (rule !== undefined && Object.hasOwn(counts, rule)) continue;
    let best: string | undefined;
    for (const key of free)
      if (counts[key] === n && (best === undefined || sharedStart(key, recordKind) > sharedStart(best, recordKind)))
        best = key;
    if (best === undefined) continue;
    names.set(recordKind, best);
    free.splice(free.indexOf(best), 1);
  }
  return names;
}

/**
 * An archive's kinds (`order`, those it has records of) with those its end line counts none of (`stated`, the
 * `counts` of a live export's or an NDJSON archive's end line), which alone says the account holds none of them: a
 * kind with no records has no lines in NDJSON (JSON writes an empty array), and left out, a restore --prune would
 * keep what was made in it since and an upgrade would drop it. A known kind goes where the table puts it (an archive
 * in import order stays so), a newer server's last. Left out: a known kind `version` lacks, and a name an archive of
 * `layout` cannot name (its own members, the line's `kind`; in NDJSON one no line could carry, `people`).
 */
export function withEmptyKinds(
  order: readonly string[],
  stated: Record<string, unknown>,
  version: ApiVersion,
  layout: ArchiveLayout,
): string[] {
  const out = [...order];
  const held = new Set(out);
  for (const [kind, n] of Object.entries(stated)) {
    const foreign = isKind(kind)
      ? !kindsOf(version).includes(kind)
      : kind === "kind" || (layout === "ndjson" && ndjsonRefusal(kind) !== undefined);
    if (n !== 0 || held.has(kind) || isEnvelopeKey(kind) || foreign) continue;
    held.add(kind);
    const at = isKind(kind) ? out.findIndex((k) => !isKind(k) || KINDS.indexOf(k) > KINDS.indexOf(kind)) : -1;
    out.splice(at === -1 ? out.length : at, 0, kind);
  }
  return out;
}

/** Why the kind `kind` (an archive key) cannot be written as NDJSON records, or undefined when it can. */
export function ndjsonRefusal(kind: string): string | undefined {
  if (recordKindOf(kind) !== undefined) return undefined;
  const why = !kind.endsWith("s")
    ? `each line names its kind in the singular, and a kind resonant does not know is read back as that name plus "s", so its name must end in "s"`
    : kind === "ends"
      ? `its records would be "end" lines, which close an NDJSON archive`
      : kind.length < 2
        ? `its records would have no kind`
        : `its records would be "${kind.slice(0, -1)}" lines, which are the records of ${kindOfRecord(kind.slice(0, -1)) ?? "another kind"}`;
  return `the kind "${kind}" cannot be written as NDJSON: ${why}; write JSON (--format json), which keeps every kind under its own name`;
}

/** What a reader learns of an archive besides its records. */
export interface ArchiveInfo {
  /** JSON document or NDJSON. */
  layout: ArchiveLayout;
  /** `api_version` of the archive. */
  apiVersion: ApiVersion;
  /** `exported_at`, when stated. */
  exportedAt: string | undefined;
  /** Records per kind, as counted while reading (every kind the file names, empty ones too). */
  counts: Record<string, number>;
  /** Kinds in the order the file holds them. */
  kindOrder: string[];
  /** Whether the file states a checksum (then it matched) or states none (an archive from elsewhere). */
  checksum: "verified" | "absent";
  /** Top-level members this tool does not know (not kinds): carried through when the archive is rewritten. */
  extra: Record<string, unknown>;
  /** NDJSON record lines with members besides `kind` and `data`, which import does not send (it warns of them). */
  lineExtras?: LineExtras | undefined;
  /** Bytes read. */
  bytes: number;
}

/** One string naming an object of a kind, as a map key across kinds (an id is unique within its kind only). */
export const objectKey = (kind: string, id: unknown): string => `${kind}\u0000${String(id)}`;

/** {@link objectKey} of an archive record. */
export const recordKey = (record: Pick<ArchiveRecord, "kind" | "data">): string =>
  objectKey(record.kind, (record.data as { id: unknown }).id);

/** One object read from an archive. */
export interface ArchiveRecord {
  /** Its kind, plural (`agents`), or the archive key of an unknown kind. */
  kind: string;
  /** Its position among the records of its kind, from 0. */
  index: number;
  /** The object, parsed (unknown fields kept; a number beyond what a double holds is rounded here: see `text`). */
  data: unknown;
  /** The object's JSON text, byte for byte as the file holds it: what an import sends and an upgrade starts from. */
  text: string;
  /** Its byte offset in the file, for messages. */
  offset: number;
  /** Its line (NDJSON), for messages. */
  line?: number;
  /** The kind its line names (NDJSON): a newer server's `policy` for `policies`, which the rule cannot tell back. */
  recordKind?: string;
  /**
   * NDJSON, a line with members besides `kind` and `data` only: its text before and after the data, which an NDJSON
   * upgrade writes again around the upgraded data, so those members ride along byte for byte.
   */
  around?: readonly [before: string, after: string];
}

/**
 * The member a migration's backup carries: an object (an array would read as a kind) naming the revision and
 * direction it was taken before and the kinds it holds. The format names every kind of its version, so the kinds a
 * backup does not hold are written as empty lists; this member tells them from kinds that were empty.
 */
export const MIGRATE_BACKUP = "migrate_backup";

/** What a migration's backup says of itself (its {@link MIGRATE_BACKUP} member). */
export interface MigrateBackupFacts {
  /** The revision it was taken before. */
  revision: string;
  /** Which way that revision ran. */
  direction: "up" | "down";
  /** The revision the account was at when the backup was taken (`base` before the first): where a restore takes it back to. */
  at: string;
  /** The kinds it holds, less the migration tool's own memories (its ledger), which no backup holds. */
  kinds: string[];
}

/**
 * The {@link MIGRATE_BACKUP} member of the archive `file`, or undefined for any other archive. A malformed one is
 * refused: a restore must not guess which kinds to prune.
 */
export function migrateBackupOf(info: ArchiveInfo, file: string): MigrateBackupFacts | undefined {
  const member = info.extra[MIGRATE_BACKUP];
  if (member === undefined) return undefined;
  const facts = member as Partial<MigrateBackupFacts>;
  const valid =
    typeof member === "object" &&
    member !== null &&
    typeof facts.revision === "string" &&
    typeof facts.at === "string" &&
    (facts.direction === "up" || facts.direction === "down") &&
    Array.isArray(facts.kinds) &&
    facts.kinds.every((kind) => typeof kind === "string");
  if (!valid)
    throw new ArchiveError(
      file,
      `"${MIGRATE_BACKUP}"`,
      `must be {"revision": "...", "direction": "up" or "down", "at": "...", "kinds": ["agents", ...]}; got ${JSON.stringify(member).slice(0, 120)}`,
    );
  return facts as MigrateBackupFacts;
}

/**
 * A map keyed by kind names an archive chose, as an object without a prototype: in a plain one, `acked.constructor`
 * or `totals.toString` answers Object's own function, so a kind of that name was counted on it (its refused items
 * lost, and the run's exit 0 instead of 2). Assigning into it defines own keys, `__proto__` too.
 */
export function byKind<T>(from: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

/** Some NDJSON record lines with members besides `kind` and `data`: how many, and the first one's line and member. */
export interface LineExtras {
  lines: number;
  line: number;
  key: string;
}

/**
 * What keeps `data` from being an archive's record, an object with a string id (docs/protocol.md section 6), or
 * undefined: the one rule of the archive reader and of an account's export read live.
 */
export function recordFault(data: unknown): "not an object" | "no id" | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "not an object";
  const id = (data as { id?: unknown }).id;
  return typeof id !== "string" || id === "" ? "no id" : undefined;
}

/** Why an import, and a copy, do not keep {@link LineExtras}: the API takes a record's data only. */
export const EXTRAS_NOT_SENT = "import sends a record's data only, so they are not sent";

/** The warning a command gives for some {@link LineExtras}, saying `why` they are not kept; undefined for none. */
export function lineExtrasNote(name: string, extra: LineExtras | undefined, why: string): string | undefined {
  if (extra === undefined) return undefined;
  return `${name}: ${extra.lines} record line(s) carry members besides "kind" and "data" (first: line ${extra.line}, ${JSON.stringify(extra.key)}); ${why}`;
}
