/**
 * Agents (1.0+): list with `?status`, create, get, update, delete. 1.1 adds
 * `tool_ids` (checked against the account's tools), 1.2 adds `version` (+1 on
 * every update) and `memory_enabled`; the version's schemas decide which
 * fields a request may send and an answer shows.
 * @module
 */
import { buildAgent, checkToolIds, deleteAgent, type AgentFields } from "../domain/agents.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { itemRoutes, kindRoute, merged } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

function list(c: RouteContext): Response {
  const query = readListQuery(c, { status: ["active", "archived"] });
  const status = query.filters.status;
  return listResponse(c, c.get("account").agents, "Agent", query, status ? (a) => a.status === status : undefined);
}

function create(c: RouteContext): Response {
  const account = c.get("account");
  const params = parseBody<AgentFields & { name: string }>(c, "AgentCreateParams");
  checkToolIds(account, params.tool_ids);
  const agent = account.agents.insert(buildAgent(params, nowIso(c)));
  c.get("services").events.emit(account, "agent.created", agent);
  return json(201, present(c, "Agent", agent));
}

/** The agent routes (export and import live in export.ts and import.ts). */
export const agentRoutes: RouteDef[] = [
  kindRoute("agents", "GET", "/agents", list),
  kindRoute("agents", "POST", "/agents", create),
  ...itemRoutes("agents", {
    update: (c, agent, patch) => {
      checkToolIds(c.get("account"), patch.tool_ids);
      return { ...merged(c, agent, patch), version: agent.version + 1 };
    },
    remove: (c, agent) => {
      const account = c.get("account");
      const { events } = c.get("services");
      const teams = deleteAgent(account, agent.id, nowIso(c));
      for (const team of teams.updated) events.emit(account, "team.updated", team);
      for (const team of teams.deleted) events.emit(account, "team.deleted", team);
    },
    events: true,
  }),
];
