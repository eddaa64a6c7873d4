import * as z from "zod/mini";
import { Id, RequestId } from "../common.js";
import { agentXorTeam } from "../rules.js";
import * as v1_0 from "../v1.0/session.js";
import { Step } from "../v1.0/step.js";
import * as v1_1 from "../v1.1/session.js";

/**
 * A session (API 1.2). A session started for a team may carry `team_id`; its
 * `agent_id` is then the team's lead (or first) agent, so it is never null.
 * docs/protocol.md lets any other session leave `team_id` out or send null.
 */
export const Session = z.extend(v1_0.Session, { team_id: z.optional(z.nullable(Id)) });

// What 1.2 adds to a session's start: `agent_id` or, in its place, `team_id`.
const runs = {
  /** The agent to run; give this or `team_id`. */
  agent_id: z.optional(RequestId),
  /** The team to run, in place of `agent_id`. */
  team_id: z.optional(RequestId),
};
const oneRunner = { message: "exactly one of agent_id and team_id is required", path: ["agent_id"] };

/** The body of `POST /sessions` (API 1.2): `agent_id` or, in its place, `team_id`. */
export const SessionCreateParams = z.extend(v1_1.SessionCreateParams, runs).check(z.refine(agentXorTeam, oneRunner));

/** What `sessions.create` takes (API 1.2): {@link SessionCreateParams} without its `stream` switch (see API 1.1's). */
export const SessionStartParams = z.extend(v1_0.SessionStartParams, runs).check(z.refine(agentXorTeam, oneRunner));

/** The query of `GET /sessions` (API 1.2). */
export const SessionListParams = z.extend(v1_0.SessionListParams, { team_id: z.optional(RequestId) });

/** A session as export carries it (API 1.2): with its steps inline. */
export const ExportedSession = z.extend(Session, { steps: z.array(Step) });

/** @see {@link Session} */
export type Session = z.infer<typeof Session>;
/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
/** @see {@link SessionStartParams} */
export type SessionStartParams = z.input<typeof SessionStartParams>;
/** @see {@link SessionListParams} */
export type SessionListParams = z.input<typeof SessionListParams>;
/** @see {@link ExportedSession} */
export type ExportedSession = z.infer<typeof ExportedSession>;
