/**
 * Webhook triggers (1.2): list and create under `/agents/{agent_id}/triggers`
 * (the create answer alone holds the secret); get, update, delete, pause and
 * resume under `/triggers/{id}`. `webhook_url` is where a third party would
 * post: `<base>/v1.2/triggers/{id}/fire` under the API base that served the create
 * (the host's `/api`, or the MSW handlers' base URL: api-base.ts).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { apiBaseOf } from "../api-base.js";
import { findOr404 } from "../domain/common.js";
import { buildTrigger, deleteTrigger, type TriggerFields } from "../domain/triggers.js";
import { newSecret } from "../domain/webhooks.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { findItem, itemRoutes, kindRoute, merged } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

function list(c: RouteContext): Response {
  const account = c.get("account");
  const agent = findOr404(account.agents, "agent", c.req.param("agent_id"));
  return listResponse(c, account.triggers, "Trigger", readListQuery(c), (t) => t.agent_id === agent.id);
}

function create(c: RouteContext): Response {
  const account = c.get("account");
  const agent = findOr404(account.agents, "agent", c.req.param("agent_id"));
  const params = parseBody<TriggerFields & Pick<v1_2.Trigger, "name" | "goal_template">>(c, "TriggerCreateParams");
  const trigger = account.triggers.insert(buildTrigger(agent.id, params, nowIso(c), apiBaseOf(c.req.raw)));
  const secret = newSecret();
  account.secrets.set(trigger.id, secret);
  return json(201, present(c, "TriggerWithSecret", { ...trigger, secret }));
}

/** Pause and resume: the trigger with its new status. */
function setStatus(status: v1_2.Trigger["status"]) {
  return (c: RouteContext): Response => {
    const updated = merged(c, findItem(c, "triggers"), { status });
    c.get("account").triggers.put(updated);
    return json(200, present(c, "Trigger", updated));
  };
}

/** The trigger routes. */
export const triggerRoutes: RouteDef[] = [
  kindRoute("triggers", "GET", "/agents/:agent_id/triggers", list),
  kindRoute("triggers", "POST", "/agents/:agent_id/triggers", create),
  ...itemRoutes("triggers", { update: merged, remove: (c, trigger) => deleteTrigger(c.get("account"), trigger.id) }),
  kindRoute("triggers", "POST", "/triggers/:id/pause", setStatus("paused")),
  kindRoute("triggers", "POST", "/triggers/:id/resume", setStatus("active")),
];
