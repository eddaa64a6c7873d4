import * as z from "zod";
import { HttpsUrl, Id, ListParams, Timestamp } from "../common.js";

/** The events a 1.0 webhook can subscribe to. */
export const WebhookEventType = z.enum([
  "agent.created",
  "agent.updated",
  "agent.deleted",
  "session.created",
  "session.completed",
  "session.failed",
]);

/** An outbound webhook (API 1.0). Its secret is shown only by the create answer. */
export const Webhook = z.object({
  id: Id,
  object: z.literal("webhook"),
  url: HttpsUrl,
  events: z.array(WebhookEventType).min(1),
  active: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** The secret that signs deliveries: `whsec_...`. */
export const WebhookSecret = z.string().startsWith("whsec_");

/** The answer of `POST /webhooks`: the webhook and, this once, its secret. */
export const WebhookWithSecret = Webhook.extend({ secret: WebhookSecret });

/** The body of `POST /webhooks` (API 1.0). */
export const WebhookCreateParams = z.strictObject({
  url: HttpsUrl,
  events: z.array(WebhookEventType).min(1),
  active: z.boolean().optional(),
});

/** The body of `PATCH /webhooks/{id}`. */
export const WebhookUpdateParams = WebhookCreateParams.partial();

/** The query of `GET /webhooks`. */
export const WebhookListParams = ListParams;

/**
 * The object a delivery is about. Kept loose (id and kind, other fields passed through)
 * because a delivery carries the object as it was when the event fired, which need not
 * be a whole object of the receiver's pinned version.
 */
export const WebhookEventData = z.looseObject({ id: z.string(), object: z.string() });

/** What a 1.0 delivery posts: the event and the object it is about. */
export const WebhookEvent = z.object({
  id: z.string().startsWith("evt_"),
  type: WebhookEventType,
  created_at: Timestamp,
  data: WebhookEventData,
});

/** @see {@link Webhook} */
export type Webhook = z.infer<typeof Webhook>;
/** @see {@link WebhookWithSecret} */
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;
/** @see {@link WebhookEventType} */
export type WebhookEventType = z.infer<typeof WebhookEventType>;
/** @see {@link WebhookCreateParams} */
export type WebhookCreateParams = z.input<typeof WebhookCreateParams>;
/** @see {@link WebhookUpdateParams} */
export type WebhookUpdateParams = z.input<typeof WebhookUpdateParams>;
/** @see {@link WebhookListParams} */
export type WebhookListParams = z.input<typeof WebhookListParams>;
/** @see {@link WebhookEvent} */
export type WebhookEvent = z.infer<typeof WebhookEvent>;
