/**
 * Tools (1.1+): list, create, get, update, delete. Names are unique per
 * account (409 `name_taken`); header values are stored but never echoed:
 * every answer shows each header key with the value `"***"`.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildTool, checkToolName, deleteTool, maskTool, type ToolFields } from "../domain/tools.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery, stripUndefined } from "./shared.js";

function list(ctx: Ctx): Response {
  return listResponse(ctx, ctx.account.tools, "Tool", readListQuery(ctx), undefined, maskTool);
}

function create(ctx: Ctx): Response {
  const params = parseBody<ToolFields & Pick<v1_2.Tool, "name" | "endpoint">>(ctx, "ToolCreateParams");
  checkToolName(ctx.account, params.name);
  const tool = ctx.account.tools.insert(buildTool(params, nowIso(ctx)));
  return json(201, present(ctx, "Tool", maskTool(tool)));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Tool", maskTool(findOr404(ctx.account.tools, "tool", ctx.params.id))));
}

function update(ctx: Ctx): Response {
  const tool = findOr404(ctx.account.tools, "tool", ctx.params.id);
  const params = parseBody<ToolFields>(ctx, "ToolUpdateParams");
  if (params.name !== undefined) checkToolName(ctx.account, params.name, tool.id);
  const updated: v1_2.Tool = { ...tool, ...stripUndefined(params), updated_at: nowIso(ctx) };
  ctx.account.tools.put(updated);
  return json(200, present(ctx, "Tool", maskTool(updated)));
}

function remove(ctx: Ctx): Response {
  const tool = findOr404(ctx.account.tools, "tool", ctx.params.id);
  deleteTool(ctx.account, tool.id);
  return noContent();
}

/** The tool routes. */
export const toolRoutes: RouteDef[] = [
  { method: "GET", path: "/tools", since: "1.1", scope: "tools:read", handler: list },
  { method: "POST", path: "/tools", since: "1.1", scope: "tools:write", handler: create },
  { method: "GET", path: "/tools/:id", since: "1.1", scope: "tools:read", handler: get },
  { method: "PATCH", path: "/tools/:id", since: "1.1", scope: "tools:write", handler: update },
  { method: "DELETE", path: "/tools/:id", since: "1.1", scope: "tools:write", handler: remove },
];
