/**
 * The refinements of the schemas, as plain predicates with no zod: the schema
 * files pass them to `z.refine`, and the generated checkers
 * (src/checks/, scripts/gen-checks.ts) import them by name, so one function
 * decides for zod and for the checkers alike.
 *
 * zod hands a refinement its output and a checker hands it the input; for
 * these schemas the two differ only in keys zod drops (an own `__proto__`
 * key, a stripping object's unknown keys), so every rule reads declared
 * fields only, or skips `__proto__` when it counts keys.
 * @module
 */

/** A metadata map holds at most 16 keys (an own `__proto__` key, which zod drops, not counted). */
export function metadataWithinLimit(value: object): boolean {
  let count = 0;
  for (const key of Object.keys(value)) if (key !== "__proto__") count++;
  return count <= 16;
}

/** A team's lead, when it names one, is one of its `agent_ids` (either may be absent in an update). */
export function leadIsMember(team: {
  agent_ids?: readonly string[] | undefined;
  lead_agent_id?: string | null | undefined;
}): boolean {
  return team.lead_agent_id == null || team.agent_ids === undefined || team.agent_ids.includes(team.lead_agent_id);
}

/** A session is started for exactly one of an agent (`agent_id`) and a team (`team_id`). */
export function agentXorTeam(body: { agent_id?: string | undefined; team_id?: string | undefined }): boolean {
  return (body.agent_id === undefined) !== (body.team_id === undefined);
}
