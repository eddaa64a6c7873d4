/**
 * Teams (1.2): list, create, get, update, delete. Every member must be an
 * agent of the account and the lead one of the members (422 otherwise).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildTeam, teamIssues, type TeamFields } from "../domain/teams.js";
import { validationError } from "../errors.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery, stripUndefined } from "./shared.js";

function list(ctx: Ctx): Response {
  return listResponse(ctx, ctx.account.teams, "Team", readListQuery(ctx));
}

function create(ctx: Ctx): Response {
  const params = parseBody<TeamFields & Pick<v1_2.Team, "name" | "agent_ids">>(ctx, "TeamCreateParams");
  const team = buildTeam(params, nowIso(ctx));
  const issues = teamIssues(ctx.account, team);
  if (issues.length) throw validationError(issues);
  ctx.account.teams.insert(team);
  ctx.internals.events.emit(ctx.account, "team.created", team);
  return json(201, present(ctx, "Team", team));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Team", findOr404(ctx.account.teams, "team", ctx.params.id)));
}

function update(ctx: Ctx): Response {
  const team = findOr404(ctx.account.teams, "team", ctx.params.id);
  const params = parseBody<TeamFields>(ctx, "TeamUpdateParams");
  const updated: v1_2.Team = { ...team, ...stripUndefined(params), updated_at: nowIso(ctx) };
  const issues = teamIssues(ctx.account, updated);
  if (issues.length) throw validationError(issues);
  ctx.account.teams.put(updated);
  ctx.internals.events.emit(ctx.account, "team.updated", updated);
  return json(200, present(ctx, "Team", updated));
}

function remove(ctx: Ctx): Response {
  const team = findOr404(ctx.account.teams, "team", ctx.params.id);
  ctx.account.teams.delete(team.id);
  ctx.internals.events.emit(ctx.account, "team.deleted", team);
  return noContent();
}

/** The team routes. */
export const teamRoutes: RouteDef[] = [
  { method: "GET", path: "/teams", since: "1.2", scope: "teams:read", handler: list },
  { method: "POST", path: "/teams", since: "1.2", scope: "teams:write", handler: create },
  { method: "GET", path: "/teams/:id", since: "1.2", scope: "teams:read", handler: get },
  { method: "PATCH", path: "/teams/:id", since: "1.2", scope: "teams:write", handler: update },
  { method: "DELETE", path: "/teams/:id", since: "1.2", scope: "teams:write", handler: remove },
];
