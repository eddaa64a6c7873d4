/**
 * Tools (1.1+): list, create, get, update, delete. Names are unique per
 * account (409 `name_taken`); header values are stored but never echoed:
 * every answer shows each header key with the value `"***"`.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { ApiError } from "../errors.js";
import type { Account } from "../store.js";
import { stripUndefined } from "./agents.js";
import { findOr404, json, listResponse, noContent, nowIso, parseBody, present, readListQuery } from "./shared.js";

/** The writable fields of a tool. */
export type ToolFields = Partial<Pick<v1_2.Tool, "name" | "description" | "parameters" | "endpoint" | "method" | "headers">>;

/** A tool as answers show it: header values masked. */
export function maskTool(tool: v1_2.Tool): v1_2.Tool {
  return { ...tool, headers: Object.fromEntries(Object.keys(tool.headers).map((k) => [k, "***"])) };
}

/** A new tool in its fullest shape. */
export function buildTool(fields: ToolFields & Pick<v1_2.Tool, "name" | "endpoint">, now: string, id: string = crypto.randomUUID()): v1_2.Tool {
  return {
    id,
    object: "tool",
    name: fields.name,
    description: fields.description ?? null,
    parameters: fields.parameters ?? { type: "object", properties: {} },
    endpoint: fields.endpoint,
    method: fields.method ?? "POST",
    headers: fields.headers ?? {},
    created_at: now,
    updated_at: now,
  };
}

/** 409 `name_taken` when another tool of the account has `name`. */
export function checkToolName(account: Account, name: string, selfId?: string): void {
  for (const tool of account.tools.values())
    if (tool.name === name && tool.id !== selfId) throw new ApiError({ status: 409, code: "name_taken", message: `A tool named ${name} already exists`, details: { field: "name" } });
}

/** Removes a tool, and its id from every agent's `tool_ids`. */
export function deleteTool(account: Account, id: string): void {
  account.tools.delete(id);
  for (const agent of account.agents.values())
    if (agent.tool_ids.includes(id)) account.agents.put({ ...agent, tool_ids: agent.tool_ids.filter((t) => t !== id) });
}

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
