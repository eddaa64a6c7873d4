/**
 * Triggers as stored objects: a new trigger with the URL a third party
 * calls, and the goal template that call fills.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Account } from "../store.js";
import { stamped } from "./common.js";

/** The writable fields of a trigger. */
export type TriggerFields = Partial<Pick<v1_2.Trigger, "name" | "goal_template" | "debounce_seconds">>;

/** A new trigger in its fullest shape; `webhook_url` is under `apiBase`, the API base that served the create (`https://host/api`). */
export function buildTrigger(
  agentId: string,
  fields: TriggerFields & Pick<v1_2.Trigger, "name" | "goal_template">,
  now: string,
  apiBase: string,
  id: string = crypto.randomUUID(),
): v1_2.Trigger {
  return stamped("trigger", now, id, {
    agent_id: agentId,
    name: fields.name,
    goal_template: fields.goal_template,
    status: "active",
    webhook_url: `${apiBase}/v1.2/triggers/${id}/fire`,
    debounce_seconds: fields.debounce_seconds ?? 0,
  });
}

/** Fills `{key}` placeholders from the body's top-level fields (unknown keys stay as they are). */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

/** Removes a trigger and its signing secret. */
export function deleteTrigger(account: Account, id: string): void {
  account.triggers.delete(id);
  account.secrets.delete(id);
}
