/**
 * The error codes of docs/protocol.md section 3, each with the HTTP status it comes with: the one list the
 * 1.2 schema's `ErrorCode` and the `resonant` CLI's failure log read. Zod-free, so a program that only needs
 * the table (`@resonantgenesis/schemas/error-codes`) loads no schema.
 * @module
 */

/** Every error code the protocol lists, with its HTTP status. A server may send others (section 8). */
export const ERROR_CODE_STATUS = Object.freeze({
  invalid_parameter: 400,
  missing_parameter: 400,
  invalid_json: 400,
  version_conflict: 400,
  unsupported_version: 400,
  api_key_invalid: 401,
  token_expired: 401,
  token_invalid: 401,
  insufficient_permissions: 403,
  not_found: 404,
  agent_not_found: 404,
  session_not_found: 404,
  team_not_found: 404,
  tool_not_found: 404,
  memory_not_found: 404,
  trigger_not_found: 404,
  webhook_not_found: 404,
  already_exists: 409,
  name_taken: 409,
  idempotency_key_reused: 409,
  api_version_gone: 410,
  request_too_large: 413,
  validation_error: 422,
  rate_limit_exceeded: 429,
  internal_error: 500,
  upstream_error: 502,
  service_unavailable: 503,
} as const);

/** An error code the protocol lists. */
export type KnownErrorCode = keyof typeof ERROR_CODE_STATUS;

/** The HTTP status the protocol gives `code`, or undefined for a code it does not list (`toString` included). */
export function statusOfErrorCode(code: string): number | undefined {
  return Object.hasOwn(ERROR_CODE_STATUS, code) ? ERROR_CODE_STATUS[code as KnownErrorCode] : undefined;
}
