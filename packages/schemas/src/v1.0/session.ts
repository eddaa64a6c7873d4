import * as z from "zod/mini";
import { Id, ListParams, RequestId, Metadata, Timestamp, open } from "../common.js";
import { Step } from "./step.js";

/** Where a session stands. */
export const SessionStatus = z.enum(["running", "completed", "failed", "cancelled"]);

/** A session: an agent run towards a goal (API 1.0). */
export const Session = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `session`. */
  object: z.literal("session"),
  /** The agent that runs the session (for a team session, its lead). */
  agent_id: Id,
  /** What the session works towards. */
  goal: z.string(),
  /** Extra input for the session, or null. */
  context: z.nullable(z.record(z.string(), z.unknown())),
  /** `running`, `completed`, `failed` or `cancelled`. */
  status: open(SessionStatus),
  /** The final answer, or null while running or when it failed. */
  result: z.nullable(z.string()),
  /** How many steps have finished. */
  steps_completed: z.int().check(z.minimum(0)),
  /** Tokens used so far. */
  tokens_used: z.int().check(z.minimum(0)),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata,
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When the session ended, or null while it runs. */
  completed_at: z.nullable(Timestamp),
});

/** The body of `POST /sessions` (API 1.0), as docs/protocol.md lists it: a session's `metadata` is not among its writable fields. */
export const SessionCreateParams = z.strictObject({
  /** The agent that runs the session (for a team session, its lead). */
  agent_id: RequestId,
  /** What the session works towards. */
  goal: z.string().check(z.minLength(1)),
  /** Extra input for the session, or null. */
  context: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  /** The most steps the session may take, 1 to 100 (default 10). */
  max_steps: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
});

/** The query of `GET /sessions`. */
export const SessionListParams = z.extend(ListParams, {
  /** The agent that runs the session (for a team session, its lead). */
  agent_id: z.optional(RequestId),
  /** `running`, `completed`, `failed` or `cancelled`. */
  status: z.optional(SessionStatus),
});

/** A session as export carries it: with its steps inline. */
export const ExportedSession = z.extend(Session, { steps: z.array(Step) });

/** @see {@link Session} */
export type Session = z.infer<typeof Session>;
/** @see {@link SessionStatus} */
export type SessionStatus = z.infer<typeof SessionStatus>;
/**
 * What `sessions.create` takes (API 1.0 and 1.1): the body of `POST /sessions` without 1.1's `stream` switch, which
 * the SDK sets by the method called (`sessions.stream`), so a `stream` given to `create` is refused before it is sent.
 */
export const SessionStartParams = z.extend(SessionCreateParams, {}); // its own schema, for 1.1's and 1.2's to extend

/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
/** @see {@link SessionStartParams} */
export type SessionStartParams = z.input<typeof SessionStartParams>;
/** @see {@link SessionListParams} */
export type SessionListParams = z.input<typeof SessionListParams>;
/** @see {@link ExportedSession} */
export type ExportedSession = z.infer<typeof ExportedSession>;
