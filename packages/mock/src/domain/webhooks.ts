/**
 * Webhooks as stored objects, and the signing secrets that webhooks and
 * triggers share (kept beside the object, never in it, so no answer or
 * export can leak one by accident).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { randomToken } from "../auth.js";
import type { Account } from "../store.js";

/** The writable fields of a webhook. */
export type WebhookFields = Partial<Pick<v1_2.Webhook, "url" | "events" | "active" | "description" | "filters">>;

/** A new signing secret (`whsec_...`). */
export function newSecret(): string {
  return randomToken("whsec_", 32);
}

/** A new webhook in its fullest shape. */
export function buildWebhook(
  fields: WebhookFields & Pick<v1_2.Webhook, "url" | "events">,
  now: string,
  id: string = crypto.randomUUID(),
): v1_2.Webhook {
  return {
    id,
    object: "webhook",
    url: fields.url,
    events: fields.events,
    active: fields.active ?? true,
    description: fields.description ?? null,
    filters: fields.filters ?? {},
    created_at: now,
    updated_at: now,
  };
}

/** Removes a webhook and its signing secret. */
export function deleteWebhook(account: Account, id: string): void {
  account.webhooks.delete(id);
  account.secrets.delete(id);
}
