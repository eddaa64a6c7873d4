/**
 * Tools as stored objects: the defaults of a new tool, the per-account
 * unique name, how answers show one (header values masked, never echoed),
 * and what deleting one changes.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { ApiError } from "../errors.js";
import type { Account } from "../store.js";
import { stamped } from "./common.js";

/** The writable fields of a tool. */
export type ToolFields = Partial<
  Pick<v1_2.Tool, "name" | "description" | "parameters" | "endpoint" | "method" | "headers">
>;

/** A tool as answers and exports show it: each header key with the value `"***"`. */
export function maskTool(tool: v1_2.Tool): v1_2.Tool {
  return { ...tool, headers: Object.fromEntries(Object.keys(tool.headers).map((k) => [k, "***"])) };
}

/** What a new tool needs: a name and the endpoint it calls. */
type NewTool = ToolFields & Pick<v1_2.Tool, "name" | "endpoint">;

/** A new tool in its fullest shape. */
export function buildTool(fields: NewTool, now: string, id?: string): v1_2.Tool {
  return stamped("tool", now, id, {
    name: fields.name,
    description: fields.description ?? null,
    parameters: fields.parameters ?? { type: "object", properties: {} },
    endpoint: fields.endpoint,
    method: fields.method ?? "POST",
    headers: fields.headers ?? {},
  });
}

/** 409 `name_taken` when another tool of the account has `name`. */
export function checkToolName(account: Account, name: string, selfId?: string): void {
  for (const tool of account.tools.values())
    if (tool.name === name && tool.id !== selfId)
      throw new ApiError({
        status: 409,
        code: "name_taken",
        message: `A tool named ${name} already exists`,
        details: { field: "name" },
      });
}

/**
 * Removes a tool, and its id from every agent's `tool_ids`. An agent that
 * loses the tool is updated like any other (docs/protocol.md section 5: a
 * fresh `updated_at`, and `version` +1 on every update); answers the agents
 * changed, for their `agent.updated` events.
 */
export function deleteTool(account: Account, id: string, now: string): v1_2.Agent[] {
  account.tools.delete(id);
  const changed: v1_2.Agent[] = [];
  for (const agent of account.agents.values())
    if (agent.tool_ids.includes(id))
      changed.push(
        account.agents.put({
          ...agent,
          tool_ids: agent.tool_ids.filter((t) => t !== id),
          updated_at: now,
          version: agent.version + 1,
        }),
      );
  return changed;
}
