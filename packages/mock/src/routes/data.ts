/**
 * The whole account (1.2): `GET /data/export` answers the archive of
 * PROTOCOL.md section 6, or with `Accept: application/x-ndjson` streams it as
 * one record a line (tools, agents, teams, sessions, memories, triggers,
 * webhooks, then the `end` line with the counts), produced page by page as
 * the client reads so memory stays flat. `POST /data/import` takes an archive
 * and imports it in dependency order, answering per-kind counts.
 * @module
 */
import { isApiVersion, v1_2, type ApiVersion } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { errorObject, invalidParameter, validationError, type FieldIssue } from "../errors.js";
import { KINDS, KIND_INFO, exportView, type Kind } from "../kinds.js";
import { importItem, type OnConflict } from "./import.js";
import { json, nowIso, schemaFor } from "./shared.js";

/** The format tag of every archive. */
export const ARCHIVE_FORMAT = "resonantgenesis.export";

/** How many records one pull of the NDJSON stream produces. */
const NDJSON_BATCH = 200;

function wantsNdjson(ctx: Ctx): boolean {
  return (ctx.headers.get("accept") ?? "").toLowerCase().includes("application/x-ndjson");
}

function exportJson(ctx: Ctx): Response {
  const archive: Record<string, unknown> = {
    format: ARCHIVE_FORMAT,
    format_version: 1,
    api_version: ctx.version,
    exported_at: nowIso(ctx),
  };
  for (const kind of KINDS) {
    const schema = schemaFor(ctx.version, KIND_INFO[kind].itemSchema);
    archive[kind] = ctx.account.collection(kind).values().map((item) => schema.parse(exportView(ctx.account, kind, item)));
  }
  return json(200, v1_2.Archive.parse(archive));
}

/**
 * The NDJSON export as a pull stream: each pull serialises the next batch of
 * one kind, walking each collection by sequence number (like a cursor), so
 * objects added during the export appear at most once and deletions are skipped.
 */
function exportNdjson(ctx: Ctx): Response {
  const encoder = new TextEncoder();
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  let kindIndex = 0;
  let afterSeq = 0;
  const body = new ReadableStream<Uint8Array>({
    // A pull must enqueue something or close, or the stream stalls: empty kinds are skipped in a loop.
    pull(controller) {
      for (;;) {
        const kind = KINDS[kindIndex];
        if (kind === undefined) {
          controller.enqueue(encoder.encode(`${JSON.stringify({ kind: "end", counts })}\n`));
          controller.close();
          return;
        }
        const schema = schemaFor(ctx.version, KIND_INFO[kind].itemSchema);
        let text = "";
        let n = 0;
        for (const { seq, item } of ctx.account.collection(kind).entriesAfter(afterSeq)) {
          if (n === NDJSON_BATCH) break;
          text += `${JSON.stringify({ kind: KIND_INFO[kind].singular, data: schema.parse(exportView(ctx.account, kind, item)) })}\n`;
          afterSeq = seq;
          n += 1;
        }
        counts[kind] += n;
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
  return new Response(body, { status: 200, headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-cache" } });
}

function exportData(ctx: Ctx): Response {
  return wantsNdjson(ctx) ? exportNdjson(ctx) : exportJson(ctx);
}

/** Checks the archive's envelope; items are checked one by one during the import. */
function readArchive(body: unknown): { version: ApiVersion; onConflict: OnConflict; kinds: Partial<Record<Kind, unknown[]>> } {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw validationError([{ path: [], message: "must be an archive object" }]);
  const record = body as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  if (record.format !== ARCHIVE_FORMAT) issues.push({ path: ["format"], message: `must be "${ARCHIVE_FORMAT}"` });
  if (record.format_version !== 1) issues.push({ path: ["format_version"], message: "must be 1" });
  if (!isApiVersion(record.api_version)) issues.push({ path: ["api_version"], message: "must be 1.0, 1.1 or 1.2" });
  const onConflict = record.on_conflict ?? "skip";
  if (!["skip", "overwrite", "fail"].includes(onConflict as string)) issues.push({ path: ["on_conflict"], message: "must be one of skip, overwrite, fail" });
  const kinds: Partial<Record<Kind, unknown[]>> = {};
  for (const kind of KINDS) {
    const items = record[kind];
    if (items === undefined) continue;
    if (!Array.isArray(items)) issues.push({ path: [kind], message: "must be an array" });
    else kinds[kind] = items;
  }
  if (issues.length) throw validationError(issues);
  return { version: record.api_version as ApiVersion, onConflict: onConflict as OnConflict, kinds };
}

function importData(ctx: Ctx): Response {
  const onConflictParam = ctx.query.get("on_conflict");
  if (onConflictParam !== null && !["skip", "overwrite", "fail"].includes(onConflictParam))
    throw invalidParameter([{ path: ["on_conflict"], message: "must be one of skip, overwrite, fail" }]);
  const archive = readArchive(ctx.body);
  const onConflict = (onConflictParam as OnConflict | null) ?? archive.onConflict;
  const imported = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const skipped = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const failed: { kind: Kind; id: string; error: unknown }[] = [];
  // KINDS is already in dependency order, so every reference exists before it is needed.
  for (const kind of KINDS) {
    for (const raw of archive.kinds[kind] ?? []) {
      const outcome = importItem(ctx.account, ctx.internals.engine, archive.version, kind, raw, onConflict);
      if (outcome.kind === "imported") imported[kind] += 1;
      else if (outcome.kind === "skipped") skipped[kind] += 1;
      else failed.push({ kind, id: outcome.id, error: errorObject(ctx.version, ctx.requestId, outcome.error) });
    }
  }
  return json(200, v1_2.DataImportResult.parse({ imported, skipped, failed }));
}

/** The account-wide routes. */
export const dataRoutes: RouteDef[] = [
  { method: "GET", path: "/data/export", since: "1.2", scope: "data:read", handler: exportData },
  { method: "POST", path: "/data/import", since: "1.2", scope: "data:write", handler: importData },
];
