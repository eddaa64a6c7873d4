import * as z from "zod/mini";
import * as v1_1 from "../v1.1/agent.js";

/** An agent (API 1.2): 1.1's fields, a version counter and the memory switch. */
export const Agent = z.extend(v1_1.Agent, {
  /** Starts at 1 and grows by 1 on every update (API 1.2). */
  version: z.int().check(z.minimum(1)),
  /** Whether the agent uses the memory system (API 1.2; default false). */
  memory_enabled: z.boolean(),
});

/** The body of `POST /agents` (API 1.2). */
export const AgentCreateParams = z.extend(v1_1.AgentCreateParams, { memory_enabled: z.optional(z.boolean()) });

/** The body of `PATCH /agents/{id}` (API 1.2). */
export const AgentUpdateParams = z.partial(AgentCreateParams);

/** @see {@link Agent} */
export type Agent = z.infer<typeof Agent>;
/** @see {@link AgentCreateParams} */
export type AgentCreateParams = z.input<typeof AgentCreateParams>;
/** @see {@link AgentUpdateParams} */
export type AgentUpdateParams = z.input<typeof AgentUpdateParams>;
