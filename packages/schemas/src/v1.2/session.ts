import * as z from "zod";
import { Id } from "../common.js";
import * as v1_0 from "../v1.0/session.js";
import { Step } from "../v1.0/step.js";
import * as v1_1 from "../v1.1/session.js";

/**
 * A session (API 1.2). A session started for a team carries `team_id`; its
 * `agent_id` is then the team's lead (or first) agent, so it is never null.
 */
export const Session = v1_0.Session.extend({ team_id: Id.nullable() });

/** The body of `POST /sessions` (API 1.2): `agent_id` or, in its place, `team_id`. */
export const SessionCreateParams = v1_1.SessionCreateParams.extend({
  /** The agent to run; give this or `team_id`. */
  agent_id: Id.optional(),
  /** The team to run, in place of `agent_id`. */
  team_id: Id.optional(),
}).refine((body) => (body.agent_id === undefined) !== (body.team_id === undefined), {
  message: "exactly one of agent_id and team_id is required",
  path: ["agent_id"],
});

/** The query of `GET /sessions` (API 1.2). */
export const SessionListParams = v1_0.SessionListParams.extend({ team_id: Id.optional() });

/** A session as export carries it (API 1.2): with its steps inline. */
export const ExportedSession = Session.extend({ steps: z.array(Step) });

/** @see {@link Session} */
export type Session = z.infer<typeof Session>;
/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
/** @see {@link SessionListParams} */
export type SessionListParams = z.input<typeof SessionListParams>;
/** @see {@link ExportedSession} */
export type ExportedSession = z.infer<typeof ExportedSession>;
