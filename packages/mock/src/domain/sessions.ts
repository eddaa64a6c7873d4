/**
 * Sessions as stored objects: a new running session, who runs it (an agent,
 * or a team's lead), how one starts, and what deleting one clears. Running
 * it is the sessions engine's job (sessions-engine.ts).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { validationError } from "../errors.js";
import type { Deliveries } from "../events.js";
import type { Account } from "../store.js";
import { created, findOr404 } from "./common.js";
import type { SessionsEngine } from "./sessions-engine.js";

/** The fields a new session is built from. */
export interface SessionFields {
  agent_id: string;
  team_id?: string | null;
  goal: string;
  context?: Record<string, unknown> | null;
  metadata?: Record<string, string>;
}

/** A new running session in its fullest shape. */
export function buildSession(fields: SessionFields, now: string, id?: string): v1_2.Session {
  const session = created("session", now, id, {
    agent_id: fields.agent_id,
    team_id: fields.team_id ?? null,
    goal: fields.goal,
    context: fields.context ?? null,
    status: "running",
    result: null,
    steps_completed: 0,
    tokens_used: 0,
    metadata: fields.metadata ?? {},
  });
  return { ...session, completed_at: null };
}

/**
 * Stores a new session, gives it its step budget, says `session.created` and
 * starts it on the engine: what a create and a trigger's fire call share.
 */
export function startSession(
  services: { engine: SessionsEngine; events: Deliveries },
  account: Account,
  fields: SessionFields,
  now: string,
  maxSteps = 10,
): v1_2.Session {
  const session = account.sessions.insert(buildSession(fields, now));
  account.extras(session.id, maxSteps);
  services.events.emit(account, "session.created", session);
  services.engine.start(account, session.id);
  return session;
}

/**
 * Resolves who runs a session: the agent named, or a team's lead (else first)
 * agent. A missing agent or team is a 404 with its code; an archived agent
 * cannot run (422 on `agent_id`).
 */
export function resolveRunner(
  account: Account,
  params: { agent_id?: string; team_id?: string },
): { agentId: string; teamId: string | null } {
  if (params.team_id !== undefined) {
    const team = findOr404(account.teams, "team", params.team_id);
    return { agentId: team.lead_agent_id ?? team.agent_ids[0]!, teamId: team.id };
  }
  const agent = findOr404(account.agents, "agent", params.agent_id);
  if (agent.status === "archived")
    throw validationError([{ path: ["agent_id"], message: "the agent is archived and cannot run" }]);
  return { agentId: agent.id, teamId: null };
}

/** Removes a session with its steps and event log, stopping its run (open streams end). */
export function deleteSession(account: Account, engine: SessionsEngine, id: string): void {
  engine.forget(account, id);
  account.sessions.delete(id);
  account.sessionExtras.delete(id);
}
