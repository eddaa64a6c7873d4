/**
 * Webhooks (1.0+): list, create (the answer alone holds the `whsec_` secret),
 * get, update, delete. 1.2 adds `description`, `filters` and more event types;
 * the version's schemas decide which events and fields a request may send.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { buildWebhook, deleteWebhook, newSecret, type WebhookFields } from "../domain/webhooks.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { itemRoutes, kindRoute, merged } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery } from "./shared.js";

function create(c: RouteContext): Response {
  const account = c.get("account");
  const params = parseBody<WebhookFields & Pick<v1_2.Webhook, "url" | "events">>(c, "WebhookCreateParams");
  const webhook = account.webhooks.insert(buildWebhook(params, nowIso(c)));
  const secret = newSecret();
  account.secrets.set(webhook.id, secret);
  account.webhookVersions.set(webhook.id, c.get("version"));
  return json(201, present(c, "WebhookWithSecret", { ...webhook, secret }));
}

/** The webhook routes. */
export const webhookRoutes: RouteDef[] = [
  kindRoute("webhooks", "GET", "/webhooks", (c) =>
    listResponse(c, c.get("account").webhooks, "Webhook", readListQuery(c)),
  ),
  kindRoute("webhooks", "POST", "/webhooks", create),
  ...itemRoutes("webhooks", { update: merged, remove: (c, webhook) => deleteWebhook(c.get("account"), webhook.id) }),
];
