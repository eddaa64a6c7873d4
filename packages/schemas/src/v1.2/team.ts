import * as z from "zod/mini";
import { Id, ListParams, RequestId, Timestamp, open } from "../common.js";
import { leadIsMember } from "../rules.js";

/** How a team's agents work together. */
export const CoordinationMode = z.enum(["sequential", "parallel", "hierarchical"]);

/** A team of agents (API 1.2). */
export const Team = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `team`. */
  object: z.literal("team"),
  /** The team's name. */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** A description, or null. */
  description: z.nullable(z.string()),
  /** The team's agents (1 to 20). */
  agent_ids: z.array(Id).check(z.minLength(1), z.maxLength(20)),
  /** The agent that leads the team (one of `agent_ids`), or null. */
  lead_agent_id: z.nullable(Id),
  /** How the agents work together. */
  coordination_mode: open(CoordinationMode),
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When it was last changed (ISO-8601 UTC). */
  updated_at: Timestamp,
});

const leadIsMemberIssue = { message: "must be one of agent_ids", path: ["lead_agent_id"] };

const teamFields = {
  /** The team's name. */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** A description, or null. */
  description: z.optional(z.nullable(z.string())),
  /** The team's agents (1 to 20). */
  agent_ids: z.array(RequestId).check(z.minLength(1), z.maxLength(20)),
  /** The agent that leads the team (one of `agent_ids`), or null. */
  lead_agent_id: z.optional(z.nullable(RequestId)),
  /** How the agents work together. */
  coordination_mode: z.optional(CoordinationMode),
};

/** The body of `POST /teams`. */
export const TeamCreateParams = z.strictObject(teamFields).check(z.refine(leadIsMember, leadIsMemberIssue));

/** The body of `PATCH /teams/{id}`. */
export const TeamUpdateParams = z.partial(z.strictObject(teamFields)).check(z.refine(leadIsMember, leadIsMemberIssue));

/** The query of `GET /teams`. */
export const TeamListParams = ListParams;

/** @see {@link Team} */
export type Team = z.infer<typeof Team>;
/** @see {@link CoordinationMode} */
export type CoordinationMode = z.infer<typeof CoordinationMode>;
/** @see {@link TeamCreateParams} */
export type TeamCreateParams = z.input<typeof TeamCreateParams>;
/** @see {@link TeamUpdateParams} */
export type TeamUpdateParams = z.input<typeof TeamUpdateParams>;
/** @see {@link TeamListParams} */
export type TeamListParams = z.input<typeof TeamListParams>;
