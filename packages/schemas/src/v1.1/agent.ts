import * as z from "zod/mini";
import { Id, RequestId } from "../common.js";
import * as v1_0 from "../v1.0/agent.js";

/** An agent (API 1.1): 1.0's fields and the tools it may call. */
export const Agent = z.extend(v1_0.Agent, { tool_ids: z.array(Id) });

/** The body of `POST /agents` (API 1.1). */
export const AgentCreateParams = z.extend(v1_0.AgentCreateParams, { tool_ids: z.optional(z.array(RequestId)) });

/** The body of `PATCH /agents/{id}` (API 1.1). */
export const AgentUpdateParams = z.partial(AgentCreateParams);

/** @see {@link Agent} */
export type Agent = z.infer<typeof Agent>;
/** @see {@link AgentCreateParams} */
export type AgentCreateParams = z.input<typeof AgentCreateParams>;
/** @see {@link AgentUpdateParams} */
export type AgentUpdateParams = z.input<typeof AgentUpdateParams>;
