import * as z from "zod";
import { Id, ListParams, Metadata, Timestamp } from "../common.js";

/** Whether an agent can run. */
export const AgentStatus = z.enum(["active", "archived"]);

/** An agent (API 1.0). */
export const Agent = z.object({
  id: Id,
  object: z.literal("agent"),
  name: z.string().min(1).max(100),
  description: z.string().nullable(),
  system_prompt: z.string(),
  model: z.string(),
  temperature: z.number().min(0).max(2),
  max_tokens: z.int().positive().nullable(),
  status: AgentStatus,
  metadata: Metadata,
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** The body of `POST /agents` (API 1.0). Unknown fields are refused, as the server does. */
export const AgentCreateParams = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().nullable().optional(),
  system_prompt: z.string().optional(),
  model: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.int().positive().nullable().optional(),
  status: AgentStatus.optional(),
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
