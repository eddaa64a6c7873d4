import * as z from "zod";
import { Id, ListParams, Timestamp } from "../common.js";
import { WebhookSecret } from "../v1.0/webhook.js";

/** Whether a trigger starts sessions. */
export const TriggerStatus = z.enum(["active", "paused"]);

/** A webhook trigger: a third party's call starts a session of its agent (API 1.2). */
export const Trigger = z.object({
  id: Id,
  object: z.literal("trigger"),
  agent_id: Id,
  name: z.string().min(1).max(100),
  goal_template: z.string().min(1),
  status: TriggerStatus,
  webhook_url: z.url(),
  debounce_seconds: z.int().min(0).max(3600),
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** The answer of `POST /agents/{agent_id}/triggers`: the trigger and, this once, its secret. */
export const TriggerWithSecret = Trigger.extend({ secret: WebhookSecret });

/** The body of `POST /agents/{agent_id}/triggers`. */
export const TriggerCreateParams = z.strictObject({
  name: z.string().min(1).max(100),
  goal_template: z.string().min(1),
  debounce_seconds: z.int().min(0).max(3600).optional(),
});

/** The body of `PATCH /triggers/{id}` (pause and resume change the status). */
export const TriggerUpdateParams = TriggerCreateParams.partial();

/** The query of `GET /agents/{agent_id}/triggers`. */
export const TriggerListParams = ListParams;

/** @see {@link Trigger} */
export type Trigger = z.infer<typeof Trigger>;
/** @see {@link TriggerWithSecret} */
export type TriggerWithSecret = z.infer<typeof TriggerWithSecret>;
/** @see {@link TriggerCreateParams} */
export type TriggerCreateParams = z.input<typeof TriggerCreateParams>;
/** @see {@link TriggerUpdateParams} */
export type TriggerUpdateParams = z.input<typeof TriggerUpdateParams>;
/** @see {@link TriggerListParams} */
export type TriggerListParams = z.input<typeof TriggerListParams>;
