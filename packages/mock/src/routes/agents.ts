/**
 * Agents (1.0+): list with `?status`, create, get, update, delete. 1.1 adds
 * `tool_ids` (checked against the account's tools), 1.2 adds `version` (+1 on
 * every update) and `memory_enabled`; the version's schemas decide which
 * fields a request may send and an answer shows.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { validationError, type FieldIssue } from "../errors.js";
import type { Account } from "../store.js";
import { findOr404, json, listResponse, noContent, nowIso, parseBody, present, readListQuery } from "./shared.js";

/** The writable fields of an agent, as any version's create or update params carry them. */
export type AgentFields = Partial<Omit<v1_2.Agent, "id" | "object" | "created_at" | "updated_at" | "version">>;

/** A new agent in its fullest shape, with the defaults of PROTOCOL.md section 5. */
export function buildAgent(fields: AgentFields & { name: string }, now: string, id: string = crypto.randomUUID()): v1_2.Agent {
  return {
    id,
    object: "agent",
    name: fields.name,
    description: fields.description ?? null,
    system_prompt: fields.system_prompt ?? "",
    model: fields.model ?? "gpt-4-turbo",
    temperature: fields.temperature ?? 0.7,
    max_tokens: fields.max_tokens ?? null,
    status: fields.status ?? "active",
    metadata: fields.metadata ?? {},
    tool_ids: fields.tool_ids ?? [],
    version: 1,
    memory_enabled: fields.memory_enabled ?? false,
    created_at: now,
    updated_at: now,
  };
}

/** 422 for tool ids the account does not have (PROTOCOL.md: "an unknown id: 422"). */
export function checkToolIds(account: Account, toolIds: readonly string[] | undefined): void {
  if (!toolIds) return;
  const issues: FieldIssue[] = [];
  toolIds.forEach((id, i) => {
    if (!account.tools.has(id)) issues.push({ path: ["tool_ids", i], message: `no tool with id ${id}`, type: "value_error.unknown_id" });
  });
  if (issues.length) throw validationError(issues);
}

/**
 * Removes an agent and what cannot live without it: its triggers and its
 * memories; teams lose it as a member (and as lead), and a team left with no
 * members is deleted, since a team needs at least one agent. Sessions stay as history.
 */
export function deleteAgent(account: Account, id: string): void {
  account.agents.delete(id);
  for (const trigger of account.triggers.values()) if (trigger.agent_id === id) {
    account.triggers.delete(trigger.id);
    account.secrets.delete(trigger.id);
  }
  for (const memory of account.memories.values()) if (memory.agent_id === id) account.memories.delete(memory.id);
  for (const team of account.teams.values()) {
    if (!team.agent_ids.includes(id)) continue;
    const agentIds = team.agent_ids.filter((a) => a !== id);
    if (agentIds.length === 0) account.teams.delete(team.id);
    else account.teams.put({ ...team, agent_ids: agentIds, lead_agent_id: team.lead_agent_id === id ? null : team.lead_agent_id });
  }
}

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

/** Drops keys whose value is undefined, so a PATCH never erases a field it did not name. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The agent routes (export and import live in export.ts and import.ts). */
export const agentRoutes: RouteDef[] = [
  { method: "GET", path: "/agents", since: "1.0", scope: "agents:read", handler: list },
  { method: "POST", path: "/agents", since: "1.0", scope: "agents:write", handler: create },
  { method: "GET", path: "/agents/:id", since: "1.0", scope: "agents:read", handler: get },
  { method: "PATCH", path: "/agents/:id", since: "1.0", scope: "agents:write", handler: update },
  { method: "DELETE", path: "/agents/:id", since: "1.0", scope: "agents:write", handler: remove },
];
