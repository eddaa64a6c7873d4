import * as z from "zod/mini";
import { Id, ListParams, Metadata, Timestamp, open } from "../common.js";

/** Whether an agent can run. */
export const AgentStatus = z.enum(["active", "archived"]);

/** An agent (API 1.0). */
export const Agent = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `agent`. */
  object: z.literal("agent"),
  /** The agent's name (1 to 100 characters). */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** A description, or null. */
  description: z.nullable(z.string()),
  /** The system prompt (may be empty). */
  system_prompt: z.string(),
  /** The model, e.g. `gpt-4-turbo`. */
  model: z.string(),
  /** Sampling temperature, 0 to 2 (default 0.7). */
  temperature: z.number().check(z.minimum(0), z.maximum(2)),
  /** The most tokens an answer may use, or null for the model's limit. */
  max_tokens: z.nullable(z.int().check(z.positive())),
  /** `active` or `archived`. */
  status: open(AgentStatus),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata,
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When it was last changed (ISO-8601 UTC). */
  updated_at: Timestamp,
});

/** The body of `POST /agents` (API 1.0). Unknown fields are refused, as the server does. */
export const AgentCreateParams = z.strictObject({
  /** The agent's name (1 to 100 characters). */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** A description, or null. */
  description: z.optional(z.nullable(z.string())),
  /** The system prompt (may be empty). */
  system_prompt: z.optional(z.string()),
  /** The model, e.g. `gpt-4-turbo`. */
  model: z.optional(z.string().check(z.minLength(1))),
  /** Sampling temperature, 0 to 2 (default 0.7). */
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(2))),
  /** The most tokens an answer may use, or null for the model's limit. */
  max_tokens: z.optional(z.nullable(z.int().check(z.positive()))),
  /** `active` or `archived`. */
  status: z.optional(AgentStatus),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: z.optional(Metadata),
});

/** The body of `PATCH /agents/{id}`: any subset of the writable fields. */
export const AgentUpdateParams = z.partial(AgentCreateParams);

/** The query of `GET /agents`. */
export const AgentListParams = z.extend(ListParams, { status: z.optional(AgentStatus) });

/** @see {@link Agent} */
export type Agent = z.infer<typeof Agent>;
/** @see {@link AgentStatus} */
export type AgentStatus = z.infer<typeof AgentStatus>;
/** @see {@link AgentCreateParams} */
export type AgentCreateParams = z.input<typeof AgentCreateParams>;
/** @see {@link AgentUpdateParams} */
export type AgentUpdateParams = z.input<typeof AgentUpdateParams>;
/** @see {@link AgentListParams} */
export type AgentListParams = z.input<typeof AgentListParams>;
