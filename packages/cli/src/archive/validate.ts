/**
 * The check of a whole archive before anything is sent: one full read
 * (structure, counts, checksum: see reader.ts) in which every record of a
 * known kind is also checked against its API version's schema, read
 * compatibly (a newer server's fields and values pass, as the SDK's import
 * lets them through), and no id may come twice in one kind. Problems are
 * gathered, up to 20, and thrown together, each with its place in the file.
 * @module
 */
import { ArchiveError } from "../exit.js";
import { type CheckModule, loadChecks } from "@resonantgenesis/schemas/checks";
import { type ApiVersion, isKind, KIND_TABLE } from "@resonantgenesis/schemas/meta";
import type { ArchiveInfo, ArchiveRecord } from "./format.js";
import type { ArchiveInput } from "./input.js";
import { ArchiveReader } from "./reader.js";
import { confirmRepeats, RepeatedIds } from "./repeated-ids.js";

// The generated checkers answer as zod's compatible reading would, at a fraction of its cost and without loading
// zod: a record that passes (all but a broken archive's) never needs it, nor the 3.6 MB of heap zod and the schemas
// hold. Each version's are loaded as the archive names it.
const compatible: Partial<Record<ApiVersion, Checks>> = {};
type Checks = CheckModule["checks"];
const checksFor = async (version: ApiVersion): Promise<Checks> =>
  (compatible[version] ??= (await loadChecks(version, "compatible")).checks);

/** Where a record is, for messages. */
export function placeOf(record: Pick<ArchiveRecord, "kind" | "index" | "line" | "offset">): string {
  return record.line === undefined
    ? `${record.kind}[${record.index}] (byte ${record.offset})`
    : `line ${record.line} (${record.kind}[${record.index}])`;
}

/** The schema a record of `kind` is checked by: none for a kind unknown here (carried as it is). */
const schemaOf = (kind: string): string | undefined => (isKind(kind) ? KIND_TABLE[kind].itemSchema : undefined);

/** Whether a record passes the version's `checks` (a kind unknown or not in the version: carried as it is, it does). */
function passes(checks: Checks, record: ArchiveRecord): boolean {
  const schema = schemaOf(record.kind);
  const check = schema === undefined ? undefined : checks[schema];
  return check === undefined || check(record.data);
}

/**
 * What is wrong with a record that does not {@link passes}, in the words the SDK and the mock use
 * (`PARSE_OPTIONS`: "must be a string, got number"), where zod/mini alone says only "Invalid input".
 */
async function recordIssues(version: ApiVersion, record: ArchiveRecord): Promise<string[]> {
  const { issuesOf } = await import("@resonantgenesis/schemas/report");
  const issues = await issuesOf(version, schemaOf(record.kind)!, "compatible", record.data);
  return issues.map(({ path, message }) => `${path === "(root)" ? "(the record)" : path}: ${message}`);
}

/** What a full check learnt: the archive's facts, and the names of NDJSON kinds to read it again with. */
export interface CheckedArchive {
  /** The archive's facts. */
  info: ArchiveInfo;
  /** Options for later readers of the same file. */
  kindNames: Record<string, string>;
}

/** What else the read that checks an archive does, for a caller that would otherwise read it again (verify.ts). */
export interface CheckOptions {
  /** Where each record's id is noted, to tell one that comes twice (else a {@link RepeatedIds} of its own). */
  ids?: Pick<RepeatedIds, "add" | "suspects"> | undefined;
  /** Sees every record, after its id is noted, with the archive's version once the read has met it. */
  onRecord?: ((record: ArchiveRecord, version: ApiVersion | undefined) => void) | undefined;
}

/**
 * Reads all of `input`, checking it; `onRecord` sees every record, with the archive's version once the read has met
 * it. Throws an {@link ArchiveError} listing the problems.
 */
export function checkArchive(
  input: Pick<ArchiveInput, "path" | "name">,
  onRecord?: (record: ArchiveRecord, version: ApiVersion | undefined) => void,
): Promise<CheckedArchive> {
  return checkArchiveWith(input, { onRecord });
}

/** {@link checkArchive}, with the options of {@link CheckOptions}. */
export async function checkArchiveWith(
  input: Pick<ArchiveInput, "path" | "name">,
  { ids = new RepeatedIds(), onRecord }: CheckOptions = {},
): Promise<CheckedArchive> {
  const problems: string[] = [];
  // Records, not problems: one record may have several.
  let bad = 0;
  const note = async (version: ApiVersion, record: ArchiveRecord) => {
    bad++;
    for (const issue of await recordIssues(version, record)) problems.push(`${placeOf(record)}: ${issue}`);
  };
  let deferred = false;
  const reader = new ArchiveReader(input);
  for await (const record of reader.records()) {
    ids.add(record.kind, (record.data as { id: unknown }).id);
    const version = reader.apiVersion;
    if (version === undefined) deferred = true;
    else if (problems.length < 20 && !passes(compatible[version] ?? (await checksFor(version)), record))
      await note(version, record);
    onRecord?.(record, version);
  }
  const info = reader.info!;
  if (deferred) {
    // The header came after the records (a key-sorted file): check the records again, now that the version is known.
    const checks = await checksFor(info.apiVersion);
    for await (const record of new ArchiveReader(input).records()) {
      if (problems.length >= 20) break;
      if (!passes(checks, record)) await note(info.apiVersion, record);
    }
  }
  if (ids.suspects.size > 0) await refuseRepeatedIds(input, ids.suspects);
  if (problems.length > 0) {
    const more = problems.length >= 20 ? "\n  (only the first 20 problems are shown)" : "";
    throw new ArchiveError(
      input.name,
      `${bad}${problems.length >= 20 ? " or more" : ""} record${bad === 1 && problems.length < 20 ? "" : "s"}`,
      `not valid API ${info.apiVersion} objects; nothing was sent:\n  ${problems.slice(0, 20).join("\n  ")}${more}`,
    );
  }
  return { info, kindNames: {} };
}

/**
 * Reads `input` again for the ids whose fingerprint came twice, and refuses the archive if one of them really does:
 * the server would take the second as a conflict with the first, and verify would call one of them changed.
 */
async function refuseRepeatedIds(input: Pick<ArchiveInput, "path" | "name">, suspects: Set<string>): Promise<void> {
  const { count, repeats } = await confirmRepeats(input, suspects);
  if (count > 0) {
    const more = count > 20 ? "\n  (only the first 20 are shown)" : "";
    const lines = repeats.map(
      ({ record, first }) =>
        `${placeOf(record)}: the id "${String((record.data as { id: unknown }).id)}" again (first at ${placeOf(first)})`,
    );
    throw new ArchiveError(
      input.name,
      `${count} record${count === 1 ? "" : "s"}`,
      `an id comes twice in one kind; an archive holds each object once, and nothing was sent:\n  ${lines.join("\n  ")}${more}`,
    );
  }
}
