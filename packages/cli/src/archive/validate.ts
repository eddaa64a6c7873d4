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
import { type ApiVersion, isKind, KIND_TABLE, type Kind } from "@resonantgenesis/schemas/meta";
import type { ArchiveInfo, ArchiveRecord } from "./format.js";
import type { ArchiveInput } from "./input.js";
import { ArchiveReader } from "./reader.js";
import { confirmRepeats, RepeatedIds } from "./repeated-ids.js";

/** One version's generated checkers (`@resonantgenesis/schemas/checks/<version>/compatible`), by schema name. */
type Checks = Readonly<Record<string, (value: unknown) => boolean>>;

// The generated checkers answer as zod's compatible reading would, at a fraction of its cost and without loading
// zod: a record that passes (all but a broken archive's) never needs it. Literal specifiers, as the SDK's.
const loadChecks = async (): Promise<Record<ApiVersion, Checks>> => {
  const [v10, v11, v12] = await Promise.all([
    import("@resonantgenesis/schemas/checks/v1.0/compatible"),
    import("@resonantgenesis/schemas/checks/v1.1/compatible"),
    import("@resonantgenesis/schemas/checks/v1.2/compatible"),
  ]);
  return { "1.0": v10.checks, "1.1": v11.checks, "1.2": v12.checks };
};
let checksByVersion: Record<ApiVersion, Checks> | undefined;

interface Parser {
  safeParse(
    value: unknown,
    options: typeof import("@resonantgenesis/schemas").PARSE_OPTIONS,
  ): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
}

const parsers = new Map<string, Parser>();
// zod and every version's schemas, loaded by the first record that fails its check, to say what is wrong: the
// commands that read no archive, and archives that pass, never pay their start-up time or the 3.6 MB of heap they
// hold, which also raised V8's GC limits.
let zodSchemas: typeof import("@resonantgenesis/schemas") | undefined;

async function parserFor(version: ApiVersion, kind: string): Promise<Parser> {
  const key = `${version}:${kind}`;
  let parser = parsers.get(key);
  if (parser === undefined) {
    zodSchemas ??= await import("@resonantgenesis/schemas");
    const module = zodSchemas.schemas[version] as unknown as Record<string, unknown>;
    parser = zodSchemas.reading(
      module[KIND_TABLE[kind as Kind].itemSchema] as never,
      "compatible",
    ) as unknown as Parser;
    parsers.set(key, parser);
  }
  return parser;
}

/** Where a record is, for messages. */
export function placeOf(record: Pick<ArchiveRecord, "kind" | "index" | "line" | "offset">): string {
  return record.line === undefined
    ? `${record.kind}[${record.index}] (byte ${record.offset})`
    : `line ${record.line} (${record.kind}[${record.index}])`;
}

/** Whether a record passes `version`'s schema (a kind unknown or not in the version: carried as it is, it does). */
function passes(version: ApiVersion, record: ArchiveRecord): boolean {
  const schema = isKind(record.kind) ? KIND_TABLE[record.kind].itemSchema : undefined;
  const check = schema === undefined ? undefined : checksByVersion![version][schema];
  return check === undefined || check(record.data);
}

/**
 * What is wrong with a record that does not {@link passes}, in the words the SDK and the mock use
 * (`PARSE_OPTIONS`: "must be a string, got number"), where zod/mini alone says only "Invalid input".
 */
async function recordIssues(version: ApiVersion, record: ArchiveRecord): Promise<string[]> {
  const parser = await parserFor(version, record.kind);
  const issues = parser.safeParse(record.data, zodSchemas!.PARSE_OPTIONS).error?.issues ?? [];
  return issues.map((issue) => `${issue.path.map(String).join(".") || "(the record)"}: ${issue.message}`);
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
 * Reads all of `input`, checking it (see {@link CheckOptions}). Throws an
 * {@link ArchiveError} listing the problems.
 */
export async function checkArchive(
  input: Pick<ArchiveInput, "path" | "name">,
  { ids = new RepeatedIds(), onRecord }: CheckOptions = {},
): Promise<CheckedArchive> {
  checksByVersion ??= await loadChecks();
  const problems: string[] = [];
  let deferred = false;
  const reader = new ArchiveReader(input);
  for await (const record of reader.records()) {
    ids.add(record.kind, (record.data as { id: unknown }).id);
    const version = reader.apiVersion;
    if (version === undefined) deferred = true;
    else if (problems.length < 20 && !passes(version, record))
      for (const issue of await recordIssues(version, record)) problems.push(`${placeOf(record)}: ${issue}`);
    onRecord?.(record, version);
  }
  const info = reader.info!;
  if (deferred) {
    // The header came after the records (a key-sorted file): check the records again, now that the version is known.
    for await (const record of new ArchiveReader(input).records()) {
      if (problems.length >= 20) break;
      if (!passes(info.apiVersion, record))
        for (const issue of await recordIssues(info.apiVersion, record)) problems.push(`${placeOf(record)}: ${issue}`);
    }
  }
  if (ids.suspects.size > 0) await refuseRepeatedIds(input, ids.suspects);
  if (problems.length > 0) {
    const more = problems.length >= 20 ? "\n  (only the first 20 problems are shown)" : "";
    throw new ArchiveError(
      input.name,
      `${problems.length} record${problems.length === 1 ? "" : "s"}`,
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
