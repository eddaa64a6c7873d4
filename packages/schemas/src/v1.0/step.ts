import * as z from "zod";
import { Id, ListParams, Timestamp } from "../common.js";

/** What a step does. */
export const StepAction = z.enum(["think", "plan", "tool_call", "observe", "respond"]);

/** Where a step stands. */
export const StepStatus = z.enum(["running", "completed", "failed"]);

/** One step of a session. */
export const Step = z.object({
  id: Id,
  object: z.literal("step"),
  session_id: Id,
  step_number: z.int().min(1),
  action: StepAction,
  input: z.string().nullable(),
  output: z.string().nullable(),
  status: StepStatus,
  created_at: Timestamp,
});

/** The query of `GET /sessions/{id}/steps`. */
export const StepListParams = ListParams;

/** @see {@link Step} */
export type Step = z.infer<typeof Step>;
/** @see {@link StepListParams} */
export type StepListParams = z.input<typeof StepListParams>;
