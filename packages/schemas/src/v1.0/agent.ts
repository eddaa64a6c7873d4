import * as z from "zod";
import { Id, ListParams, Metadata, Timestamp } from "../common.js";

/** Whether an agent can run. */
export const AgentStatus = z.enum(["active", "archived"]);

/** An agent (API 1.0). */
export const Agent = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `agent`. */
  object: z.literal("agent"),
  /** The agent's name (1 to 100 characters). */
  name: z.string().min(1).max(100),
  /** A description, or null. */
  description: z.string().nullable(),
  /** The system prompt (may be empty). */
  system_prompt: z.string(),
  /** The model, e.g. `gpt-4-turbo`. */
  model: z.string(),
  /** Sampling temperature, 0 to 2 (default 0.7). */
  temperature: z.number().min(0).max(2),
  /** The most tokens an answer may use, or null for the model's limit. */
  max_tokens: z.int().positive().nullable(),
  /** `active` or `archived`. */
  status: AgentStatus,
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
  name: z.string().min(1).max(100),
  /** A description, or null. */
  description: z.string().nullable().optional(),
  /** The system prompt (may be empty). */
  system_prompt: z.string().optional(),
  /** The model, e.g. `gpt-4-turbo`. */
  model: z.string().min(1).optional(),
  /** Sampling temperature, 0 to 2 (default 0.7). */
  temperature: z.number().min(0).max(2).optional(),
  /** The most tokens an answer may use, or null for the model's limit. */
  max_tokens: z.int().positive().nullable().optional(),
  /** `active` or `archived`. */
  status: AgentStatus.optional(),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata.optional(),
});

/** The body of `PATCH /agents/{id}`: any subset of the writable fields. */
export const AgentUpdateParams = AgentCreateParams.partial();

/** The query of `GET /agents`. */
export const AgentListParams = ListParams.extend({ status: AgentStatus.optional() });

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
