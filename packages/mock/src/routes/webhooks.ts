/**
 * Webhooks (1.0+): list, create (the answer alone holds the `whsec_` secret),
 * get, update, delete. 1.2 adds `description`, `filters` and more event types;
 * the version's schemas decide which events and fields a request may send.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildWebhook, deleteWebhook, newSecret, type WebhookFields } from "../domain/webhooks.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery, stripUndefined } from "./shared.js";

function list(ctx: Ctx): Response {
  return listResponse(ctx, ctx.account.webhooks, "Webhook", readListQuery(ctx));
}

function create(ctx: Ctx): Response {
  const params = parseBody<WebhookFields & Pick<v1_2.Webhook, "url" | "events">>(ctx, "WebhookCreateParams");
  const webhook = ctx.account.webhooks.insert(buildWebhook(params, nowIso(ctx)));
  const secret = newSecret();
  ctx.account.secrets.set(webhook.id, secret);
  ctx.account.webhookVersions.set(webhook.id, ctx.version);
  return json(201, present(ctx, "WebhookWithSecret", { ...webhook, secret }));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Webhook", findOr404(ctx.account.webhooks, "webhook", ctx.params.id)));
}

function update(ctx: Ctx): Response {
  const webhook = findOr404(ctx.account.webhooks, "webhook", ctx.params.id);
  const params = parseBody<WebhookFields>(ctx, "WebhookUpdateParams");
  const updated: v1_2.Webhook = { ...webhook, ...stripUndefined(params), updated_at: nowIso(ctx) };
  ctx.account.webhooks.put(updated);
  return json(200, present(ctx, "Webhook", updated));
}

function remove(ctx: Ctx): Response {
  const webhook = findOr404(ctx.account.webhooks, "webhook", ctx.params.id);
  deleteWebhook(ctx.account, webhook.id);
  return noContent();
}

/** The webhook routes. */
export const webhookRoutes: RouteDef[] = [
  { method: "GET", path: "/webhooks", since: "1.0", scope: "webhooks:read", handler: list },
  { method: "POST", path: "/webhooks", since: "1.0", scope: "webhooks:write", handler: create },
  { method: "GET", path: "/webhooks/:id", since: "1.0", scope: "webhooks:read", handler: get },
  { method: "PATCH", path: "/webhooks/:id", since: "1.0", scope: "webhooks:write", handler: update },
  { method: "DELETE", path: "/webhooks/:id", since: "1.0", scope: "webhooks:write", handler: remove },
];
