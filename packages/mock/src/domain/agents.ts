/**
 * Agents as stored objects: the defaults a new agent gets (docs/protocol.md
 * section 5), the check of the tools it names, and what deleting one takes
 * with it.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { validationError, type FieldIssue } from "../errors.js";
import type { Account } from "../store.js";
import { stamped } from "./common.js";
import { deleteTrigger } from "./triggers.js";

/** The writable fields of an agent, as any version's create or update params carry them. */
export type AgentFields = Partial<Omit<v1_2.Agent, "id" | "object" | "created_at" | "updated_at" | "version">>;

/** A new agent in its fullest shape, with the defaults of docs/protocol.md section 5. */
export function buildAgent(fields: AgentFields & { name: string }, now: string, id?: string): v1_2.Agent {
  return stamped("agent", now, id, {
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
  });
}

/** 422 for tool ids the account does not have (docs/protocol.md: "an unknown id: 422"). */
export function checkToolIds(account: Account, toolIds: readonly string[] | undefined): void {
  if (!toolIds) return;
  const issues: FieldIssue[] = [];
  toolIds.forEach((id, i) => {
    if (!account.tools.has(id))
      issues.push({ path: ["tool_ids", i], message: `no tool with id ${id}`, type: "value_error.unknown_id" });
  });
  if (issues.length) throw validationError(issues);
}

/**
 * Removes an agent and what cannot live without it: its triggers and its
 * memories; teams lose it as a member (and as lead), and a team left with no
 * members is deleted, since a team needs at least one agent. Sessions stay as history.
 * A team that loses the agent is updated like any other (a fresh `updated_at`);
 * answers the teams updated and deleted, for their webhook events.
 */
export function deleteAgent(account: Account, id: string, now: string): { updated: v1_2.Team[]; deleted: v1_2.Team[] } {
  account.agents.delete(id);
  for (const trigger of account.triggers.values()) if (trigger.agent_id === id) deleteTrigger(account, trigger.id);
  for (const memory of account.memories.values()) if (memory.agent_id === id) account.memories.delete(memory.id);
  const teams: { updated: v1_2.Team[]; deleted: v1_2.Team[] } = { updated: [], deleted: [] };
  for (const team of account.teams.values()) {
    if (!team.agent_ids.includes(id)) continue;
    const agentIds = team.agent_ids.filter((a) => a !== id);
    if (agentIds.length === 0) {
      account.teams.delete(team.id);
      teams.deleted.push(team);
    } else
      teams.updated.push(
        account.teams.put({
          ...team,
          agent_ids: agentIds,
          lead_agent_id: team.lead_agent_id === id ? null : team.lead_agent_id,
          updated_at: now,
        }),
      );
  }
  return teams;
}
