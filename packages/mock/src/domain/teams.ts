/**
 * Teams as stored objects: the defaults of a new team, and the references a
 * team must get right (every member an agent of the account, the lead one of
 * the members).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { FieldIssue } from "../errors.js";
import type { Account } from "../store.js";
import { stamped } from "./common.js";

/** The writable fields of a team. */
export type TeamFields = Partial<
  Pick<v1_2.Team, "name" | "description" | "agent_ids" | "lead_agent_id" | "coordination_mode">
>;

/** What a new team needs: a name and its agents. */
type NewTeam = TeamFields & Pick<v1_2.Team, "name" | "agent_ids">;

/** A new team in its fullest shape. */
export function buildTeam(fields: NewTeam, now: string, id?: string): v1_2.Team {
  return stamped("team", now, id, {
    name: fields.name,
    description: fields.description ?? null,
    agent_ids: fields.agent_ids,
    lead_agent_id: fields.lead_agent_id ?? null,
    coordination_mode: fields.coordination_mode ?? "sequential",
  });
}

/** The reasons a team's references are wrong (unknown agents, a lead that is not a member). */
export function teamIssues(account: Account, team: Pick<v1_2.Team, "agent_ids" | "lead_agent_id">): FieldIssue[] {
  const issues: FieldIssue[] = [];
  team.agent_ids.forEach((id, i) => {
    if (!account.agents.has(id))
      issues.push({ path: ["agent_ids", i], message: `no agent with id ${id}`, type: "value_error.unknown_id" });
  });
  if (team.lead_agent_id != null && !team.agent_ids.includes(team.lead_agent_id))
    issues.push({ path: ["lead_agent_id"], message: "must be one of agent_ids" });
  return issues;
}
