/**
 * Webhook triggers (1.2): list and create under `/agents/{agent_id}/triggers`
 * (the create answer alone holds the secret); get, update, delete, pause and
 * resume under `/triggers/{id}`. `webhook_url` is where a third party would
 * post: `<origin>/api/v1.2/triggers/{id}/fire` on the host that served the create.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildTrigger, deleteTrigger, type TriggerFields } from "../domain/triggers.js";
import { newSecret } from "../domain/webhooks.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery, stripUndefined } from "./shared.js";

function list(ctx: Ctx): Response {
  const agent = findOr404(ctx.account.agents, "agent", ctx.params.agent_id);
  return listResponse(ctx, ctx.account.triggers, "Trigger", readListQuery(ctx), (t) => t.agent_id === agent.id);
}

function create(ctx: Ctx): Response {
  const agent = findOr404(ctx.account.agents, "agent", ctx.params.agent_id);
  const params = parseBody<TriggerFields & Pick<v1_2.Trigger, "name" | "goal_template">>(ctx, "TriggerCreateParams");
  const trigger = ctx.account.triggers.insert(buildTrigger(agent.id, params, nowIso(ctx), ctx.url.origin));
  const secret = newSecret();
  ctx.account.secrets.set(trigger.id, secret);
  return json(201, present(ctx, "TriggerWithSecret", { ...trigger, secret }));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Trigger", findOr404(ctx.account.triggers, "trigger", ctx.params.id)));
}

function change(ctx: Ctx, patch: Partial<v1_2.Trigger>): Response {
  const trigger = findOr404(ctx.account.triggers, "trigger", ctx.params.id);
  const updated: v1_2.Trigger = { ...trigger, ...patch, updated_at: nowIso(ctx) };
  ctx.account.triggers.put(updated);
  return json(200, present(ctx, "Trigger", updated));
}

function update(ctx: Ctx): Response {
  findOr404(ctx.account.triggers, "trigger", ctx.params.id);
  return change(ctx, stripUndefined(parseBody<TriggerFields>(ctx, "TriggerUpdateParams")));
}

function remove(ctx: Ctx): Response {
  const trigger = findOr404(ctx.account.triggers, "trigger", ctx.params.id);
  deleteTrigger(ctx.account, trigger.id);
  return noContent();
}

/** The trigger routes. */
export const triggerRoutes: RouteDef[] = [
  { method: "GET", path: "/agents/:agent_id/triggers", since: "1.2", scope: "triggers:read", handler: list },
  { method: "POST", path: "/agents/:agent_id/triggers", since: "1.2", scope: "triggers:write", handler: create },
  { method: "GET", path: "/triggers/:id", since: "1.2", scope: "triggers:read", handler: get },
  { method: "PATCH", path: "/triggers/:id", since: "1.2", scope: "triggers:write", handler: update },
  { method: "DELETE", path: "/triggers/:id", since: "1.2", scope: "triggers:write", handler: remove },
  { method: "POST", path: "/triggers/:id/pause", since: "1.2", scope: "triggers:write", handler: (ctx) => change(ctx, { status: "paused" }) },
  { method: "POST", path: "/triggers/:id/resume", since: "1.2", scope: "triggers:write", handler: (ctx) => change(ctx, { status: "active" }) },
];
