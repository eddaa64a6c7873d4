import type * as z from "zod/mini";
import { Step } from "../v1.0/step.js";
import { streamEvent } from "../v1.1/events.js";
import { ErrorBody } from "./error.js";
import { Session } from "./session.js";

/** One event of a session stream (API 1.2): 1.2 sessions, and errors in the 1.2 form. */
export const StreamEvent = streamEvent(Session, Step, ErrorBody);

/** @see {@link StreamEvent} */
export type StreamEvent = z.infer<typeof StreamEvent>;
