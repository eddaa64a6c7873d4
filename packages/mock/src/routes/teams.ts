/**
 * Teams (1.2): list, create, get, update, delete. Every member must be an
 * agent of the account and the lead one of the members (422 otherwise).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { buildTeam, teamIssues, type TeamFields } from "../domain/teams.js";
import { validationError } from "../errors.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import type { Account } from "../store.js";
import { itemRoutes, kindRoute, merged } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

/** 422 when the team's members or lead are not right. */
function checkTeam(account: Account, team: v1_2.Team): void {
  const issues = teamIssues(account, team);
  if (issues.length) throw validationError(issues);
}

function create(c: RouteContext): Response {
  const account = c.get("account");
  const team = buildTeam(
    parseBody<TeamFields & Pick<v1_2.Team, "name" | "agent_ids">>(c, "TeamCreateParams"),
    nowIso(c),
  );
  checkTeam(account, team);
  account.teams.insert(team);
  c.get("services").events.emit(account, "team.created", team);
  return json(201, present(c, "Team", team));
}

/** The team routes. */
export const teamRoutes: RouteDef[] = [
  kindRoute("teams", "GET", "/teams", (c) => listResponse(c, c.get("account").teams, "Team", readListQuery(c))),
  kindRoute("teams", "POST", "/teams", create),
  ...itemRoutes("teams", {
    update: (c, team, patch) => {
      const updated = merged(c, team, patch);
      checkTeam(c.get("account"), updated);
      return updated;
    },
    events: true,
  }),
];
