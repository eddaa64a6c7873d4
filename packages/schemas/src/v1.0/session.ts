import * as z from "zod";
import { Id, ListParams, Metadata, Timestamp } from "../common.js";
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
  context: z.record(z.string(), z.unknown()).nullable(),
  /** `running`, `completed`, `failed` or `cancelled`. */
  status: SessionStatus,
  /** The final answer, or null while running or when it failed. */
  result: z.string().nullable(),
  /** How many steps have finished. */
  steps_completed: z.int().min(0),
  /** Tokens used so far. */
  tokens_used: z.int().min(0),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata,
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
  /** When the session ended, or null while it runs. */
  completed_at: Timestamp.nullable(),
});

/** The body of `POST /sessions` (API 1.0). */
export const SessionCreateParams = z.strictObject({
  /** The agent that runs the session (for a team session, its lead). */
  agent_id: Id,
  /** What the session works towards. */
  goal: z.string().min(1),
  /** Extra input for the session, or null. */
  context: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The most steps the session may take, 1 to 100 (default 10). */
  max_steps: z.int().min(1).max(100).optional(),
  /** Your own string-to-string map (at most 16 keys). */
  metadata: Metadata.optional(),
});

/** The query of `GET /sessions`. */
export const SessionListParams = ListParams.extend({
  /** The agent that runs the session (for a team session, its lead). */
  agent_id: Id.optional(),
  /** `running`, `completed`, `failed` or `cancelled`. */
  status: SessionStatus.optional(),
});

/** A session as export carries it: with its steps inline. */
export const ExportedSession = Session.extend({ steps: z.array(Step) });

/** @see {@link Session} */
export type Session = z.infer<typeof Session>;
/** @see {@link SessionStatus} */
export type SessionStatus = z.infer<typeof SessionStatus>;
/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
/** @see {@link SessionListParams} */
export type SessionListParams = z.input<typeof SessionListParams>;
/** @see {@link ExportedSession} */
export type ExportedSession = z.infer<typeof ExportedSession>;
