/**
 * Webhooks as stored objects, and the signing secrets that webhooks and
 * triggers share (kept beside the object, never in it, so no answer or
 * export can leak one by accident).
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { randomToken } from "../auth.js";
import type { Account } from "../store.js";
import { stamped } from "./common.js";

/** The writable fields of a webhook. */
export type WebhookFields = Partial<Pick<v1_2.Webhook, "url" | "events" | "active" | "description" | "filters">>;

/** A new signing secret (`whsec_...`). */
export function newSecret(): string {
  return randomToken("whsec_", 32);
}

/** What a new webhook needs: the URL it posts to and the events it wants. */
type NewWebhook = WebhookFields & Pick<v1_2.Webhook, "url" | "events">;

/** A new webhook in its fullest shape. */
export function buildWebhook(fields: NewWebhook, now: string, id?: string): v1_2.Webhook {
  return stamped("webhook", now, id, {
    url: fields.url,
    events: fields.events,
    active: fields.active ?? true,
    description: fields.description ?? null,
    filters: fields.filters ?? {},
  });
}

/** Removes a webhook and its signing secret. */
export function deleteWebhook(account: Account, id: string): void {
  account.webhooks.delete(id);
  account.secrets.delete(id);
}
