import * as z from "zod/mini";
import { ERROR_CODE_STATUS, type KnownErrorCode } from "../error-codes.js";

/** The error codes of docs/protocol.md section 3 (the table of `ERROR_CODE_STATUS`). */
export const ErrorCode = z.enum(Object.keys(ERROR_CODE_STATUS) as [KnownErrorCode, ...KnownErrorCode[]]);

/** The error object inside a 1.2 error body. `code` stays a string so a code added later still parses. */
export const ErrorObject = z.object({
  /** A machine-readable code, e.g. `agent_not_found`. */
  code: z.string(),
  /** A human-readable message. */
  message: z.string(),
  /** The request's id (`req_...`), for support. */
  request_id: z.string(),
  /** More about the error; `fields` for validation errors. */
  details: z.optional(z.looseObject({ fields: z.optional(z.record(z.string(), z.array(z.string()))) })),
});

/** The error body of API 1.2: `{ "error": { code, message, request_id, details } }`. */
export const ErrorBody = z.object({ error: ErrorObject });

/** @see {@link ErrorCode} */
export type ErrorCode = z.infer<typeof ErrorCode>;
/** @see {@link ErrorObject} */
export type ErrorObject = z.infer<typeof ErrorObject>;
/** @see {@link ErrorBody} */
export type ErrorBody = z.infer<typeof ErrorBody>;
