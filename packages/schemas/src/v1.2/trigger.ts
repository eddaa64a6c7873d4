import * as z from "zod/mini";
import { Id, ListParams, Timestamp, open } from "../common.js";
import { WebhookSecret } from "../v1.0/webhook.js";

/** Whether a trigger starts sessions. */
export const TriggerStatus = z.enum(["active", "paused"]);

/** A webhook trigger: a third party's call starts a session of its agent (API 1.2). */
export const Trigger = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `trigger`. */
  object: z.literal("trigger"),
  /** The agent whose sessions the trigger starts. */
  agent_id: Id,
  /** The trigger's name. */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The session goal, with `{key}` placeholders filled from the incoming JSON. */
  goal_template: z.string().check(z.minLength(1)),
  /** `active` or `paused`. */
  status: open(TriggerStatus),
  /** Where the third party posts to fire the trigger. */
  webhook_url: z.url(),
  /** Calls within this many seconds of the last one are merged (0 to 3600). */
  debounce_seconds: z.int().check(z.minimum(0), z.maximum(3600)),
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When it was last changed (ISO-8601 UTC). */
  updated_at: Timestamp,
});

/** The answer of `POST /agents/{agent_id}/triggers`: the trigger and, this once, its secret. */
export const TriggerWithSecret = z.extend(Trigger, { secret: WebhookSecret });

/** The body of `POST /agents/{agent_id}/triggers`. */
export const TriggerCreateParams = z.strictObject({
  /** The trigger's name. */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The session goal, with `{key}` placeholders filled from the incoming JSON. */
  goal_template: z.string().check(z.minLength(1)),
  /** Calls within this many seconds of the last one are merged (0 to 3600). */
  debounce_seconds: z.optional(z.int().check(z.minimum(0), z.maximum(3600))),
});

/** The body of `PATCH /triggers/{id}` (pause and resume change the status). */
export const TriggerUpdateParams = z.partial(TriggerCreateParams);

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
