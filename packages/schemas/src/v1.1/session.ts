import * as z from "zod";
import * as v1_0 from "../v1.0/session.js";

/** The body of `POST /sessions` (API 1.1): `stream: true` answers with server-sent events. */
export const SessionCreateParams = v1_0.SessionCreateParams.extend({ stream: z.boolean().optional() });

/** @see {@link SessionCreateParams} */
export type SessionCreateParams = z.input<typeof SessionCreateParams>;
