/**
 * `GET /<kind>/export` (agents and sessions 1.0+, tools 1.1+, the rest 1.2):
 * `{"<kind>": [...], "next_cursor": ...}`, whole objects oldest first, up to
 * `limit` (default and maximum 10,000) a page; sessions carry their steps,
 * tools show masked headers, and no secret is ever exported.
 * @module
 */
import { ApiError } from "../errors.js";
import { workflows, type EvolvedKind } from "../evolve.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { KINDS, KIND_TABLE, exportView, type Kind } from "../kinds.js";
import { evolvedRoutes, kindRoute } from "./kind-routes.js";
import { json, present, readListQuery } from "./shared.js";

/** The largest (and default) export page. */
export const EXPORT_PAGE_MAX = 10_000;

function exportKind(kind: Kind) {
  return (c: RouteContext): Response => {
    const account = c.get("account");
    const query = readListQuery(c, {}, EXPORT_PAGE_MAX, EXPORT_PAGE_MAX);
    const page = account.collection(kind).page(query.limit, query.cursor);
    const items = page.items.map((item) => present(c, KIND_TABLE[kind].itemSchema, exportView(account, kind, item)));
    return json(200, { [kind]: items, next_cursor: page.nextCursor });
  };
}

function exportEvolved(kind: EvolvedKind) {
  return (c: RouteContext): Response => {
    if (!c.get("services").evolvedKinds.includes(kind))
      throw new ApiError({ status: 404, code: "not_found", message: `No route GET /${kind.plural}/export` });
    const query = readListQuery(c, {}, EXPORT_PAGE_MAX, EXPORT_PAGE_MAX);
    const page = workflows(c.get("account"), kind.plural).page(query.limit, query.cursor);
    return json(200, { [kind.plural]: page.items, next_cursor: page.nextCursor });
  };
}

/** The evolved server's own kinds (404 on the plain server, and for a kind it does not add). */
export const evolvedExportRoutes: RouteDef[] = evolvedRoutes("export", exportEvolved);

/** One export route per kind. */
export const exportRoutes: RouteDef[] = KINDS.map((kind) => ({
  ...kindRoute(kind, "GET", `/${kind}/export`, exportKind(kind)),
  since: KIND_TABLE[kind].exportSince,
}));
