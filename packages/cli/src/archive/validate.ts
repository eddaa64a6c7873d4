/**
 * The check of a whole archive before anything is sent: one full read
 * (structure, counts, checksum: see reader.ts) in which every record of a
 * known kind is also checked against its API version's schema, read
 * compatibly (a newer server's fields and values pass, as the SDK's import
 * lets them through), and no id may come twice in one kind. Problems are
 * gathered, up to 20, and thrown together, each with its place in the file.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas/meta";
import { ArchiveError } from "../exit.js";
import { isKind } from "@resonantgenesis/schemas/meta";
import type { ArchiveInfo, ArchiveRecord } from "./format.js";
import type { ArchiveInput } from "./input.js";
import { ArchiveReader } from "./reader.js";
import { confirmRepeats, RepeatedIds } from "./repeated-ids.js";

/** The schema name of one exported object of each kind, in every version's module. */
const ITEM_SCHEMA: Record<string, string> = {
  tools: "Tool",
  agents: "Agent",
  teams: "Team",
  sessions: "ExportedSession",
  memories: "Memory",
  triggers: "Trigger",
  webhooks: "Webhook",
};

interface Parser {
  safeParse(
    value: unknown,
  ): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

const parsers = new Map<string, Parser | undefined>();
// zod and every version's schemas, loaded by the first check: the commands that read no archive (migrate,
// export) never pay their start-up time or the 3.6 MB of heap they hold, which also raised V8's GC limits.
let zodSchemas: typeof import("@resonantgenesis/schemas") | undefined;

function parserFor(version: ApiVersion, kind: string): Parser | undefined {
  const key = `${version}:${kind}`;
  if (!parsers.has(key)) {
    const { schemas, reading } = zodSchemas!;
    const module = schemas[version] as unknown as Record<string, unknown>;
    const schema = ITEM_SCHEMA[kind] ? module[ITEM_SCHEMA[kind]] : undefined;
    parsers.set(key, schema ? (reading(schema as never, "compatible") as unknown as Parser) : undefined);
  }
  return parsers.get(key);
}

/** Where a record is, for messages. */
export function placeOf(record: Pick<ArchiveRecord, "kind" | "index" | "line" | "offset">): string {
  return record.line === undefined
    ? `${record.kind}[${record.index}] (byte ${record.offset})`
    : `line ${record.line} (${record.kind}[${record.index}])`;
}

/** The problems of one record against `version`'s schema (none for unknown kinds: they are carried as they are). */
function recordIssues(version: ApiVersion, record: ArchiveRecord): string[] {
  if (!isKind(record.kind)) return [];
  const parser = parserFor(version, record.kind);
  if (!parser) return [];
  const result = parser.safeParse(record.data);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(the record)"}: ${issue.message}`);
}

/** What a full check learnt: the archive's facts, and the names of NDJSON kinds to read it again with. */
export interface CheckedArchive {
  /** The archive's facts. */
  info: ArchiveInfo;
  /** Options for later readers of the same file. */
  kindNames: Record<string, string>;
}

/**
 * Reads all of `input`, checking it; `onRecord` sees every record (verify
 * and restore build their index here, in the same read). Throws an
 * {@link ArchiveError} listing the problems.
 */
export async function checkArchive(
  input: Pick<ArchiveInput, "path" | "name">,
  onRecord?: (record: ArchiveRecord, version: ApiVersion | undefined) => void,
): Promise<CheckedArchive> {
  zodSchemas ??= await import("@resonantgenesis/schemas");
  const problems: string[] = [];
  let deferred = false;
  const reader = new ArchiveReader(input);
  const ids = new RepeatedIds();
  for await (const record of reader.records()) {
    ids.add(record.kind, (record.data as { id: unknown }).id);
    const version = reader.apiVersion;
    if (version === undefined) deferred = true;
    else if (problems.length < 20)
      for (const issue of recordIssues(version, record)) problems.push(`${placeOf(record)}: ${issue}`);
    onRecord?.(record, version);
  }
  const info = reader.info!;
  if (deferred) {
    // The header came after the records (a key-sorted file): check the records again, now that the version is known.
    for await (const record of new ArchiveReader(input).records()) {
      if (problems.length >= 20) break;
      for (const issue of recordIssues(info.apiVersion, record)) problems.push(`${placeOf(record)}: ${issue}`);
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
