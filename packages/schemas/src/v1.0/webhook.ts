import * as z from "zod/mini";
import { HttpsUrl, Id, ListParams, Timestamp, open } from "../common.js";

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
  /** The id (`evt_...` for an event). */
  id: Id,
  /** The kind of object (`webhook`; for an event's data, the object's kind). */
  object: z.literal("webhook"),
  /** Where deliveries are posted (https). */
  url: HttpsUrl,
  /** The event types that are delivered (at least one). */
  events: z.array(open(WebhookEventType)).check(z.minLength(1)),
  /** Whether deliveries are sent. */
  active: z.boolean(),
  /** When it was created or happened (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When it was last changed (ISO-8601 UTC). */
  updated_at: Timestamp,
});

/** The secret that signs deliveries: `whsec_...`. */
export const WebhookSecret = z.string().check(z.startsWith("whsec_"));

/** The answer of `POST /webhooks`: the webhook and, this once, its secret. */
export const WebhookWithSecret = z.extend(Webhook, { secret: WebhookSecret });

/** The body of `POST /webhooks` (API 1.0). */
export const WebhookCreateParams = z.strictObject({
  /** Where deliveries are posted (https). */
  url: HttpsUrl,
  /** The event types that are delivered (at least one). */
  events: z.array(WebhookEventType).check(z.minLength(1)),
  /** Whether deliveries are sent. */
  active: z.optional(z.boolean()),
});

/** The body of `PATCH /webhooks/{id}`. */
export const WebhookUpdateParams = z.partial(WebhookCreateParams);

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
  /** The id (`evt_...` for an event). */
  id: z.string().check(z.startsWith("evt_")),
  /** The event type. */
  type: open(WebhookEventType),
  /** When it was created or happened (ISO-8601 UTC). */
  created_at: Timestamp,
  /** The object the event is about. */
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
