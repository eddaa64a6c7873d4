/**
 * `POST /agents/import` (1.0+) and `POST /<kind>/import` (1.2):
 * `{"<kind>": [...], "on_conflict": "skip" | "overwrite" | "fail"}`, at most
 * 1,000 items. Each item is imported on its own by domain/import.ts, which
 * `POST /data/import` shares, so one bad item fails alone and the rest go in.
 * @module
 */
import { schemaFor } from "../domain/common.js";
import { importItem, importWorkflow, type OnConflict } from "../domain/import.js";
import { ApiError, errorObject, validationError, type FieldIssue } from "../errors.js";
import type { EvolvedKind } from "../evolve.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { KINDS, KIND_TABLE, type Kind } from "../kinds.js";
import { evolvedRoutes, kindRoute } from "./kind-routes.js";
import { json, jsonBody } from "./shared.js";

/** The most items one `/<kind>/import` call takes. */
export const IMPORT_MAX_ITEMS = 1000;

/** Validates an import envelope by hand (so each item can fail alone) and returns its items and conflict mode. */
function readEnvelope(c: RouteContext, kind: string): { items: unknown[]; onConflict: OnConflict } {
  const body = jsonBody(c);
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw validationError([{ path: [], message: "must be an object" }]);
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(body))
    if (key !== kind && key !== "on_conflict")
      issues.push({ path: [key], message: "unknown field", type: "value_error.extra" });
  const record = body as Record<string, unknown>;
  const items = record[kind];
  if (!Array.isArray(items))
    issues.push({ path: [kind], message: "field required: an array of items", type: "value_error.missing" });
  else if (items.length > IMPORT_MAX_ITEMS)
    issues.push({ path: [kind], message: `at most ${IMPORT_MAX_ITEMS} items a call` });
  const onConflict = record.on_conflict ?? "skip";
  if (!["skip", "overwrite", "fail"].includes(onConflict as string))
    issues.push({ path: ["on_conflict"], message: "must be one of skip, overwrite, fail" });
  if (issues.length) throw validationError(issues);
  return { items: items as unknown[], onConflict: onConflict as OnConflict };
}

function importKind(kind: Kind) {
  return (c: RouteContext): Response => {
    const { version, requestId, account, services } = c.var;
    const { items, onConflict } = readEnvelope(c, kind);
    let imported = 0;
    let skipped = 0;
    const failed: { id: string; error: unknown }[] = [];
    const secrets: { id: string; secret: string }[] = [];
    for (const raw of items) {
      const outcome = importItem(account, services.engine, version, kind, raw, onConflict, services.evolve);
      if (outcome.kind === "imported") imported += 1;
      else if (outcome.kind === "skipped") skipped += 1;
      else failed.push({ id: outcome.id, error: errorObject(version, requestId, outcome.error) });
      if (outcome.kind === "imported" && outcome.secret) secrets.push(outcome.secret);
    }
    // The kinds that have a secret always answer with the list (empty when nothing was created), so a client can tell "none" from "not told".
    const withSecrets = kind === "webhooks" || kind === "triggers" ? { secrets } : {};
    return json(200, schemaFor(version, "ImportResult").parse({ imported, skipped, failed, ...withSecrets }));
  };
}

function importEvolved(kind: EvolvedKind) {
  return (c: RouteContext): Response => {
    if (!c.get("services").evolvedKinds.includes(kind))
      throw new ApiError({ status: 404, code: "not_found", message: `No route POST /${kind.plural}/import` });
    const { items, onConflict } = readEnvelope(c, kind.plural);
    const result = { imported: 0, skipped: 0, failed: [] as { id: string; error: unknown }[] };
    for (const raw of items) {
      const outcome = importWorkflow(c.get("account"), raw, onConflict, kind);
      if (outcome.kind === "failed")
        result.failed.push({ id: outcome.id, error: errorObject(c.get("version"), c.get("requestId"), outcome.error) });
      else result[outcome.kind] += 1;
    }
    return json(200, result);
  };
}

/** One import route per kind. */
export const importRoutes: RouteDef[] = KINDS.map((kind) => ({
  ...kindRoute(kind, "POST", `/${kind}/import`, importKind(kind)),
  since: KIND_TABLE[kind].importSince,
}));

/** The evolved server's own kinds (404 on the plain server, and for a kind it does not add). */
export const evolvedImportRoutes: RouteDef[] = evolvedRoutes("import", importEvolved);
