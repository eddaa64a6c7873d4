import * as z from "zod/mini";
import { HttpsUrl, RequestId, Timestamp, open } from "../common.js";
import * as v1_0 from "../v1.0/webhook.js";

/** The events a 1.2 webhook can subscribe to. */
export const WebhookEventType = z.enum([
  ...v1_0.WebhookEventType.options,
  "team.created",
  "team.updated",
  "team.deleted",
  "memory.created",
  "trigger.fired",
]);

/** Which objects a webhook hears about: a delivery is sent only when the event's object matches. */
export const WebhookFilters = z.strictObject({
  /** Only events about these agents. */
  agent_ids: z.optional(z.array(RequestId)),
  /** Only events whose object has these metadata values. */
  metadata: z.optional(z.record(z.string(), z.string())),
});

/** An outbound webhook (API 1.2). */
export const Webhook = z.extend(v1_0.Webhook, {
  /** The event types that are delivered (at least one). */
  events: z.array(open(WebhookEventType)).check(z.minLength(1)),
  /** A description, or null. */
  description: z.nullable(z.string()),
  /** Deliver only events whose object matches (API 1.2). */
  filters: WebhookFilters,
});

/** The answer of `POST /webhooks` (API 1.2): the webhook and, this once, its secret. */
export const WebhookWithSecret = z.extend(Webhook, { secret: v1_0.WebhookSecret });

/** The body of `POST /webhooks` (API 1.2). */
export const WebhookCreateParams = z.strictObject({
  /** Where deliveries are posted (https). */
  url: HttpsUrl,
  /** The event types that are delivered (at least one). */
  events: z.array(WebhookEventType).check(z.minLength(1)),
  /** Whether deliveries are sent. */
  active: z.optional(z.boolean()),
  /** A description, or null. */
  description: z.optional(z.nullable(z.string())),
  /** Deliver only events whose object matches (API 1.2). */
  filters: z.optional(WebhookFilters),
});

/** The body of `PATCH /webhooks/{id}` (API 1.2). */
export const WebhookUpdateParams = z.partial(WebhookCreateParams);

/** What a 1.2 delivery posts. */
export const WebhookEvent = z.extend(v1_0.WebhookEvent, { type: open(WebhookEventType), created_at: Timestamp });

/** @see {@link Webhook} */
export type Webhook = z.infer<typeof Webhook>;
/** @see {@link WebhookWithSecret} */
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;
/** @see {@link WebhookEventType} */
export type WebhookEventType = z.infer<typeof WebhookEventType>;
/** @see {@link WebhookFilters} */
export type WebhookFilters = z.infer<typeof WebhookFilters>;
/** @see {@link WebhookCreateParams} */
export type WebhookCreateParams = z.input<typeof WebhookCreateParams>;
/** @see {@link WebhookUpdateParams} */
export type WebhookUpdateParams = z.input<typeof WebhookUpdateParams>;
/** @see {@link WebhookEvent} */
export type WebhookEvent = z.infer<typeof WebhookEvent>;
