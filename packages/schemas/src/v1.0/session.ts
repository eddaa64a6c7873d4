import * as z from "zod";
import { Id, ListParams, Metadata, Timestamp } from "../common.js";
import { Step } from "./step.js";

/** Where a session stands. */
export const SessionStatus = z.enum(["running", "completed", "failed", "cancelled"]);

/** A session: an agent run towards a goal (API 1.0). */
export const Session = z.object({
  id: Id,
  object: z.literal("session"),
  agent_id: Id,
  goal: z.string(),
  context: z.record(z.string(), z.unknown()).nullable(),
  status: SessionStatus,
  result: z.string().nullable(),
  steps_completed: z.int().min(0),
  tokens_used: z.int().min(0),
  metadata: Metadata,
  created_at: Timestamp,
  completed_at: Timestamp.nullable(),
});

/** The body of `POST /sessions` (API 1.0). */
export const SessionCreateParams = z.strictObject({
  agent_id: Id,
  goal: z.string().min(1),
  context: z.record(z.string(), z.unknown()).nullable().optional(),
  max_steps: z.int().min(1).max(100).optional(),
  metadata: Metadata.optional(),
});

/** The query of `GET /sessions`. */
export const SessionListParams = ListParams.extend({
  agent_id: Id.optional(),
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
