import * as z from "zod/mini";
import { Id, ListParams, Timestamp, open } from "../common.js";

/** What a step does. */
export const StepAction = z.enum(["think", "plan", "tool_call", "observe", "respond"]);

/** Where a step stands. */
export const StepStatus = z.enum(["running", "completed", "failed"]);

/** One step of a session. */
export const Step = z.object({
  /** The object's id (a UUID). */
  id: Id,
  /** Always `step`. */
  object: z.literal("step"),
  /** The session the step belongs to. */
  session_id: Id,
  /** Its position in the session, from 1. */
  step_number: z.int().check(z.minimum(1)),
  /** `think`, `plan`, `tool_call`, `observe` or `respond`. */
  action: open(StepAction),
  /** The step's input, or null. */
  input: z.nullable(z.string()),
  /** The step's output, or null. */
  output: z.nullable(z.string()),
  /** `running`, `completed` or `failed`. */
  status: open(StepStatus),
  /** When it was created (ISO-8601 UTC). */
  created_at: Timestamp,
});

/** The query of `GET /sessions/{id}/steps`. */
export const StepListParams = ListParams;

/** @see {@link Step} */
export type Step = z.infer<typeof Step>;
/** @see {@link StepListParams} */
export type StepListParams = z.input<typeof StepListParams>;
