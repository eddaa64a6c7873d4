/**
 * Reading the SDK's errors and the server's per-item error objects into the
 * few facts the CLI reports (code, message, status, request id), and telling
 * which errors end a run.
 * @module
 */
import {
  APIConnectionError,
  APIError,
  ApiVersionGoneError,
  AuthenticationError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
  RequestValidationError,
  ResonantError,
} from "@resonantgenesis/sdk";

/** What the CLI tells about one error. */
export interface ErrorFacts {
  /** A code (`agent_not_found`, `validation_error`, `connection_error`...). */
  code: string;
  /** What went wrong. */
  message: string;
  /** The HTTP status, when there was an answer. */
  status: number | null;
  /** The request id, when there was an answer. */
  requestId: string | null;
}

/** The facts of an error object in either body form (1.2 `{code, message, request_id}`, 1.0/1.1 `{detail}`). */
export function itemErrorFacts(error: unknown, requestId: string | null): ErrorFacts {
  const e = (error ?? {}) as Record<string, unknown>;
  const inner = (typeof e.error === "object" && e.error !== null ? e.error : e) as Record<string, unknown>;
  if (typeof inner.code === "string" || typeof inner.message === "string") {
    return {
      code: typeof inner.code === "string" ? inner.code : "error",
      message: typeof inner.message === "string" ? inner.message : JSON.stringify(inner),
      status: typeof inner.status === "number" ? inner.status : null,
      requestId: typeof inner.request_id === "string" ? inner.request_id : requestId,
    };
  }
  const detail = inner.detail;
  if (typeof detail === "string") return { code: "error", message: detail, status: null, requestId };
  if (detail && typeof detail === "object" && !Array.isArray(detail)) {
    const d = detail as Record<string, unknown>;
    return { code: typeof d.code === "string" ? d.code : "error", message: typeof d.message === "string" ? d.message : JSON.stringify(d), status: null, requestId };
  }
  if (Array.isArray(detail)) {
    const text = detail.map((item) => `${((item as { loc?: unknown[] }).loc ?? []).join(".")}: ${String((item as { msg?: unknown }).msg)}`).join("; ");
    return { code: "validation_error", message: text, status: null, requestId };
  }
  return { code: "error", message: JSON.stringify(error), status: null, requestId };
}

/** The facts of an error the SDK threw. */
export function errorFacts(error: unknown): ErrorFacts {
  if (error instanceof APIError) {
    return { code: error.code ?? `http_${error.status}`, message: error.message, status: error.status ?? null, requestId: error.requestId ?? null };
  }
  if (error instanceof RequestValidationError) return { code: "request_validation_error", message: error.message, status: null, requestId: null };
  if (error instanceof APIConnectionError) return { code: "connection_error", message: error.message, status: null, requestId: null };
  return { code: "error", message: error instanceof Error ? error.message : String(error), status: null, requestId: null };
}

/**
 * True when an error must end the run rather than fail one batch: the key or
 * its rights (401, 403), a gone version (410), and what the SDK's retries
 * could not get through (429, 5xx, a lost connection). The checkpoint stays,
 * so `--resume` carries on once the cause is gone.
 */
export function isFatal(error: unknown): boolean {
  return (
    error instanceof AuthenticationError ||
    error instanceof PermissionDeniedError ||
    error instanceof ApiVersionGoneError ||
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error instanceof APIConnectionError ||
    (error instanceof ResonantError && !(error instanceof APIError) && !(error instanceof RequestValidationError))
  );
}
