import * as z from "zod/mini";
import { Id } from "../common.js";
import { ErrorBody } from "../v1.0/error.js";
import { Session } from "../v1.0/session.js";
import { Step } from "../v1.0/step.js";

/** The names of the events a session stream sends. */
export const StreamEventType = z.enum(["session", "step", "message", "tool_call", "tool_result", "error", "done"]);

/** The data of a `message` event: the next piece of the answer. */
export const MessageDelta = z.object({ delta: z.string() });

/** The data of a `tool_call` or `tool_result` event. */
export const ToolCallData = z.object({ step_id: Id, tool_id: Id, data: z.unknown() });

/**
 * Builds the union of typed stream events around one version's session, step and error
 * schemas, so that 1.2 reuses the shape with its own objects.
 */
export function streamEvent<S extends z.ZodMiniType, T extends z.ZodMiniType, E extends z.ZodMiniType>(
  session: S,
  step: T,
  error: E,
) {
  return z.discriminatedUnion("type", [
    z.object({ type: z.literal("session"), data: session }),
    z.object({ type: z.literal("step"), data: step }),
    z.object({ type: z.literal("message"), data: MessageDelta }),
    z.object({ type: z.literal("tool_call"), data: ToolCallData }),
    z.object({ type: z.literal("tool_result"), data: ToolCallData }),
    z.object({ type: z.literal("error"), data: error }),
    z.object({ type: z.literal("done"), data: session }),
  ]);
}

/** One event of a session stream (API 1.1): `{ type, data }`. */
export const StreamEvent = streamEvent(Session, Step, ErrorBody);

/** @see {@link StreamEvent} */
export type StreamEvent = z.infer<typeof StreamEvent>;
/** @see {@link StreamEventType} */
export type StreamEventType = z.infer<typeof StreamEventType>;
/** @see {@link MessageDelta} */
export type MessageDelta = z.infer<typeof MessageDelta>;
/** @see {@link ToolCallData} */
export type ToolCallData = z.infer<typeof ToolCallData>;
