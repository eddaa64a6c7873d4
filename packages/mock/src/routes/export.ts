/**
 * `GET /<kind>/export` (agents and sessions 1.0+, tools 1.1+, the rest 1.2):
 * `{"<kind>": [...], "next_cursor": ...}`, whole objects oldest first, up to
 * `limit` (default and maximum 10,000) a page; sessions carry their steps,
 * tools show masked headers, and no secret is ever exported.
 * @module
 */
import type { Ctx, RouteDef } from "../context.js";
import { KINDS, KIND_INFO, exportView, type Kind } from "../kinds.js";
import { json, readListQuery, schemaFor } from "./shared.js";

/** The largest (and default) export page. */
export const EXPORT_PAGE_MAX = 10_000;

function exportKind(kind: Kind) {
  return (ctx: Ctx): Response => {
    const query = readListQuery(ctx, {}, EXPORT_PAGE_MAX, EXPORT_PAGE_MAX);
    const schema = schemaFor(ctx.version, KIND_INFO[kind].itemSchema);
    const page = ctx.account.collection(kind).page(query.limit, query.cursor);
    const items = page.items.map((item) => schema.parse(exportView(ctx.account, kind, item)));
    return json(200, { [kind]: items, next_cursor: page.nextCursor });
  };
}

/** One export route per kind. */
export const exportRoutes: RouteDef[] = KINDS.map((kind) => ({
  method: "GET",
  path: `/${kind}/export`,
  since: KIND_INFO[kind].exportSince,
  scope: KIND_INFO[kind].read,
  handler: exportKind(kind),
}));
