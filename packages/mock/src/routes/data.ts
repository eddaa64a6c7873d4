/**
 * The whole account (1.2): `GET /data/export` answers the archive of
 * docs/protocol.md section 6, or with `Accept: application/x-ndjson` streams it as
 * one record a line (tools, agents, teams, sessions, memories, triggers,
 * webhooks, then the `end` line with the counts), produced page by page as
 * the client reads so memory stays flat. `POST /data/import` takes an archive
 * and imports it in dependency order, answering per-kind counts.
 * @module
 */
import { isApiVersion, v1_2, type ApiVersion } from "@resonantgenesis/schemas";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  ARCHIVE_HEADER_KEYS,
  archiveHeader,
  isKind,
  kindsOf,
} from "@resonantgenesis/schemas/meta";
import { errorObject, invalidParameter, validationError, type FieldIssue } from "../errors.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { KINDS, KIND_TABLE, exportView, type Kind } from "../kinds.js";
import { importItem, importWorkflow, type OnConflict } from "../domain/import.js";
import { SINCE } from "../since.js";
import { json, jsonBody, nowIso, present, searchParams } from "./shared.js";
import { workflows } from "../evolve.js";

/** How many records one pull of the NDJSON stream produces. */
const NDJSON_BATCH = 200;

function wantsNdjson(c: RouteContext): boolean {
  return (c.req.header("accept") ?? "").toLowerCase().includes("application/x-ndjson");
}

function exportJson(c: RouteContext): Response {
  const account = c.get("account");
  const archive: Record<string, unknown> = { ...archiveHeader(c.get("version"), nowIso(c)) };
  for (const kind of KINDS) {
    archive[kind] = account
      .collection(kind)
      .values()
      .map((item) => present(c, KIND_TABLE[kind].itemSchema, exportView(account, kind, item)));
  }
  if (c.get("services").evolve) {
    for (const kind of c.get("services").evolvedKinds) archive[kind.plural] = workflows(account, kind.plural).values();
    return json(200, archive);
  }
  return json(200, v1_2.Archive.parse(archive));
}

/**
 * The NDJSON export as a pull stream: each pull serialises the next batch of
 * one kind, walking each collection by sequence number (like a cursor), so
 * objects added during the export appear at most once and deletions are skipped.
 */
function exportNdjson(c: RouteContext): Response {
  const account = c.get("account");
  const encoder = new TextEncoder();
  const counts: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
  // The evolved server streams its own kind after the known ones.
  const streamed: {
    plural: string;
    singular: string;
    items: (after: number) => Iterable<{ seq: number; item: unknown }>;
  }[] = KINDS.map((kind) => ({
    plural: kind,
    singular: KIND_TABLE[kind].singular,
    items: (after) =>
      mapEntries(account.collection(kind).entriesAfter(after), (item) =>
        present(c, KIND_TABLE[kind].itemSchema, exportView(account, kind, item as { id: string })),
      ),
  }));
  for (const kind of c.get("services").evolvedKinds) {
    counts[kind.plural] = 0;
    streamed.push({ ...kind, items: (after) => workflows(account, kind.plural).entriesAfter(after) });
  }
  let kindIndex = 0;
  let afterSeq = 0;
  const body = new ReadableStream<Uint8Array>({
    // A pull must enqueue something or close, or the stream stalls: empty kinds are skipped in a loop.
    pull(controller) {
      for (;;) {
        const kind = streamed[kindIndex];
        if (kind === undefined) {
          controller.enqueue(encoder.encode(`${JSON.stringify({ kind: "end", counts })}\n`));
          controller.close();
          return;
        }
        let text = "";
        let n = 0;
        for (const { seq, item } of kind.items(afterSeq)) {
          if (n === NDJSON_BATCH) break;
          text += `${JSON.stringify({ kind: kind.singular, data: item })}\n`;
          afterSeq = seq;
          n += 1;
        }
        counts[kind.plural] = (counts[kind.plural] ?? 0) + n;
        if (n < NDJSON_BATCH) {
          kindIndex += 1;
          afterSeq = 0;
        }
        if (text) {
          controller.enqueue(encoder.encode(text));
          return;
        }
      }
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-cache" },
  });
}

/** Entries with their items mapped lazily, so a pull serialises only what it sends. */
function* mapEntries(
  entries: Iterable<{ seq: number; item: unknown }>,
  map: (item: unknown) => unknown,
): Iterable<{ seq: number; item: unknown }> {
  for (const { seq, item } of entries) yield { seq, item: map(item) };
}

function exportData(c: RouteContext): Response {
  return wantsNdjson(c) ? exportNdjson(c) : exportJson(c);
}

/** The top-level members of an archive besides its kinds: the header, and the mock's `on_conflict`. */
const ENVELOPE_KEYS: readonly string[] = [...ARCHIVE_HEADER_KEYS, "on_conflict"];

/**
 * Checks the archive's envelope; items are checked one by one during the import. A member that is
 * neither the header nor a kind of the archive's `api_version` (nor, on the evolved server, one of its
 * own kinds) is a 422 naming it, as every unknown field of a request body is (docs/protocol.md section
 * 5): an archive of 1.0 leaves teams out (section 6), so teams in it are not taken, nor left behind unsaid.
 */
function readArchive(
  body: unknown,
  ownKinds: readonly string[],
): {
  version: ApiVersion;
  onConflict: OnConflict;
  kinds: Partial<Record<Kind, unknown[]>>;
} {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw validationError([{ path: [], message: "must be an archive object" }]);
  const record = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (record.format !== ARCHIVE_FORMAT) issues.push({ path: ["format"], message: `must be "${ARCHIVE_FORMAT}"` });
  if (record.format_version !== ARCHIVE_FORMAT_VERSION)
    issues.push({ path: ["format_version"], message: `must be ${ARCHIVE_FORMAT_VERSION}` });
  const version = isApiVersion(record.api_version) ? record.api_version : undefined;
  if (!version) issues.push({ path: ["api_version"], message: "must be 1.0, 1.1 or 1.2" });
  const onConflict = record.on_conflict ?? "skip";
  if (!["skip", "overwrite", "fail"].includes(onConflict as string))
    issues.push({ path: ["on_conflict"], message: "must be one of skip, overwrite, fail" });
  // An archive whose version is unreadable is judged by the kinds of any version, so it is refused for that alone.
  const archiveKinds: readonly Kind[] = version ? kindsOf(version) : KINDS;
  for (const key of Object.keys(record)) {
    if (ENVELOPE_KEYS.includes(key) || ownKinds.includes(key) || (archiveKinds as string[]).includes(key)) continue;
    const message = isKind(key) ? `API ${version} has no ${key}: its archives leave them out` : "unknown field";
    issues.push({ path: [key], message, type: "value_error.extra" });
  }
  const kinds: Partial<Record<Kind, unknown[]>> = {};
  for (const kind of archiveKinds) {
    const items = record[kind];
    if (items === undefined) continue;
    if (!Array.isArray(items)) issues.push({ path: [kind], message: "must be an array" });
    else kinds[kind] = items;
  }
  if (issues.length) throw validationError(issues);
  return { version: version!, onConflict: onConflict as OnConflict, kinds };
}

function importData(c: RouteContext): Response {
  const { version, requestId, account, services } = c.var;
  const onConflictParam = searchParams(c).get("on_conflict");
  if (onConflictParam !== null && !["skip", "overwrite", "fail"].includes(onConflictParam))
    throw invalidParameter([{ path: ["on_conflict"], message: "must be one of skip, overwrite, fail" }]);
  const body = jsonBody(c);
  const archive = readArchive(
    body,
    services.evolvedKinds.map((kind) => kind.plural),
  );
  const onConflict = (onConflictParam as OnConflict | null) ?? archive.onConflict;
  const imported = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const skipped = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const failed: { kind: Kind; id: string; error: unknown }[] = [];
  const secrets: { kind: Kind; id: string; secret: string }[] = [];
  // KINDS is already in dependency order, so every reference exists before it is needed.
  for (const kind of KINDS) {
    for (const raw of archive.kinds[kind] ?? []) {
      const outcome = importItem(account, services.engine, archive.version, kind, raw, onConflict, services.evolve);
      if (outcome.kind === "imported") imported[kind] += 1;
      else if (outcome.kind === "skipped") skipped[kind] += 1;
      else failed.push({ kind, id: outcome.id, error: errorObject(version, requestId, outcome.error) });
      if (outcome.kind === "imported" && outcome.secret) secrets.push({ kind, ...outcome.secret });
    }
  }
  if (services.evolve) {
    const evolved = {
      imported: { ...imported } as Record<string, number>,
      skipped: { ...skipped } as Record<string, number>,
    };
    for (const kind of services.evolvedKinds) {
      const items = (body as Record<string, unknown>)[kind.plural];
      if (!Array.isArray(items)) continue;
      evolved.imported[kind.plural] = 0;
      evolved.skipped[kind.plural] = 0;
      for (const raw of items) {
        const outcome = importWorkflow(account, raw, onConflict, kind);
        if (outcome.kind === "failed")
          failed.push({
            kind: kind.plural as Kind,
            id: outcome.id,
            error: errorObject(version, requestId, outcome.error),
          });
        else evolved[outcome.kind][kind.plural]! += 1;
      }
    }
    if (Object.keys(evolved.imported).length > KINDS.length) return json(200, { ...evolved, failed, secrets });
  }
  return json(200, v1_2.DataImportResult.parse({ imported, skipped, failed, secrets }));
}

/** The account-wide routes. */
export const dataRoutes: RouteDef[] = [
  { method: "GET", path: "/data/export", since: SINCE.accountData, scope: "data:read", handler: exportData },
  { method: "POST", path: "/data/import", since: SINCE.accountData, scope: "data:write", handler: importData },
];
