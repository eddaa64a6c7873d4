import * as z from "zod/mini";
import * as v1_0 from "../v1.0/session.js";

/** The body of `POST /sessions` (API 1.1): `stream: true` answers with server-sent events. */
export const SessionCreateParams = z.extend(v1_0.SessionCreateParams, { stream: z.optional(z.boolean()) });

/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
