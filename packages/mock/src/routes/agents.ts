/**
 * Agents (1.0+): list with `?status`, create, get, update, delete. 1.1 adds
 * `tool_ids` (checked against the account's tools), 1.2 adds `version` (+1 on
 * every update) and `memory_enabled`; the version's schemas decide which
 * fields a request may send and an answer shows.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { buildAgent, checkToolIds, deleteAgent, type AgentFields } from "../domain/agents.js";
import { findOr404 } from "../domain/common.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery, stripUndefined } from "./shared.js";

function list(ctx: Ctx): Response {
  const query = readListQuery(ctx, { status: ["active", "archived"] });
  const status = query.filters.status;
  return listResponse(ctx, ctx.account.agents, "Agent", query, status ? (a) => a.status === status : undefined);
}

function create(ctx: Ctx): Response {
  const params = parseBody<AgentFields & { name: string }>(ctx, "AgentCreateParams");
  checkToolIds(ctx.account, params.tool_ids);
  const agent = ctx.account.agents.insert(buildAgent(params, nowIso(ctx)));
  ctx.internals.events.emit(ctx.account, "agent.created", agent);
  return json(201, present(ctx, "Agent", agent));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Agent", findOr404(ctx.account.agents, "agent", ctx.params.id)));
}

function update(ctx: Ctx): Response {
  const agent = findOr404(ctx.account.agents, "agent", ctx.params.id);
  const params = parseBody<AgentFields>(ctx, "AgentUpdateParams");
  checkToolIds(ctx.account, params.tool_ids);
  const updated: v1_2.Agent = { ...agent, ...stripUndefined(params), version: agent.version + 1, updated_at: nowIso(ctx) };
  ctx.account.agents.put(updated);
  ctx.internals.events.emit(ctx.account, "agent.updated", updated);
  return json(200, present(ctx, "Agent", updated));
}

function remove(ctx: Ctx): Response {
  const agent = findOr404(ctx.account.agents, "agent", ctx.params.id);
  deleteAgent(ctx.account, agent.id);
  ctx.internals.events.emit(ctx.account, "agent.deleted", agent);
  return noContent();
}

/** The agent routes (export and import live in export.ts and import.ts). */
export const agentRoutes: RouteDef[] = [
  { method: "GET", path: "/agents", since: "1.0", scope: "agents:read", handler: list },
  { method: "POST", path: "/agents", since: "1.0", scope: "agents:write", handler: create },
  { method: "GET", path: "/agents/:id", since: "1.0", scope: "agents:read", handler: get },
  { method: "PATCH", path: "/agents/:id", since: "1.0", scope: "agents:write", handler: update },
  { method: "DELETE", path: "/agents/:id", since: "1.0", scope: "agents:write", handler: remove },
];
