import * as z from "zod/mini";

/** The error codes of docs/protocol.md section 3. */
export const ErrorCode = z.enum([
  "invalid_parameter",
  "missing_parameter",
  "invalid_json",
  "version_conflict",
  "unsupported_version",
  "api_key_invalid",
  "token_expired",
  "token_invalid",
  "insufficient_permissions",
  "not_found",
  "agent_not_found",
  "session_not_found",
  "team_not_found",
  "tool_not_found",
  "memory_not_found",
  "trigger_not_found",
  "webhook_not_found",
  "already_exists",
  "name_taken",
  "idempotency_key_reused",
  "api_version_gone",
  "request_too_large",
  "validation_error",
  "rate_limit_exceeded",
  "internal_error",
  "upstream_error",
  "service_unavailable",
]);

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
