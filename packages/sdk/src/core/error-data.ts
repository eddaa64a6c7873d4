/**
 * Turning SDK errors into plain data and back. The sync client runs requests
 * in a worker thread; errors must cross that boundary by structured clone,
 * which keeps neither the class nor (reliably) the extra fields, and must come
 * out as the same class so `instanceof` holds for callers.
 *
 * @packageDocumentation
 */
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  ApiVersionGoneError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  RequestValidationError,
  ResonantError,
  ResponseValidationError,
  UnprocessableEntityError,
  UnsupportedFeatureError,
  WebhookSignatureError,
  type ValidationIssue,
  type WebhookSignatureFailure,
} from "./errors.js";
import { redact } from "./redact.js";

/** An error as structured-clone-able data: only strings, numbers, arrays and plain objects. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string | undefined;
  cause?: ErrorData | undefined;
  status?: number;
  headers?: [string, string][];
  requestId?: string | undefined;
  code?: string | undefined;
  type?: string | undefined;
  body?: unknown;
  details?: Record<string, string[]>;
  retryAfter?: number | undefined;
  apiVersion?: string | undefined;
  upgradeTo?: string | undefined;
  sunsetDate?: string | undefined;
  issues?: ValidationIssue[];
  feature?: string;
  requiredVersion?: string;
  reason?: WebhookSignatureFailure;
}

const API_ERROR_CLASSES: Record<string, typeof APIError> = {
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RequestTooLargeError,
  InternalServerError,
};

/**
 * Describe any thrown value as {@link ErrorData}. SDK errors keep every
 * field; other errors keep name, message and stack; non-errors become an
 * `Error` whose message is their text.
 *
 * @param err - What was thrown.
 */
export function toErrorData(err: unknown): ErrorData {
  if (!(err instanceof Error)) return { name: "Error", message: redact(String(err)) };
  const data: ErrorData = { name: err.name, message: redact(err.message) };
  if (err.stack !== undefined) data.stack = redact(err.stack);
  if (err.cause !== undefined) data.cause = toErrorData(err.cause);

  if (err instanceof APIError) {
    data.status = err.status;
    data.headers = [...err.headers];
    data.requestId = err.requestId;
    data.code = err.code;
    data.type = err.type;
    // JSON round trip: the body came from JSON.parse or is a string, and this
    // guarantees it clones even if a caller built the error by hand.
    data.body = err.body === undefined ? undefined : (JSON.parse(JSON.stringify(err.body)) as unknown);
  }
  if (err instanceof UnprocessableEntityError) data.details = structuredCopy(err.details);
  if (err instanceof RateLimitError) data.retryAfter = err.retryAfter;
  if (err instanceof ApiVersionGoneError) {
    data.apiVersion = err.apiVersion;
    data.upgradeTo = err.upgradeTo;
    data.sunsetDate = err.sunsetDate;
  }
  if (err instanceof ResponseValidationError) {
    data.issues = structuredCopy(err.issues);
    data.requestId = err.requestId;
    data.apiVersion = err.apiVersion;
  }
  if (err instanceof RequestValidationError) data.issues = structuredCopy(err.issues);
  if (err instanceof UnsupportedFeatureError) {
    data.feature = err.feature;
    data.apiVersion = err.apiVersion;
    data.requiredVersion = err.requiredVersion;
  }
  if (err instanceof WebhookSignatureError) data.reason = err.reason;
  return data;
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function build(data: ErrorData): Error {
  const options = data.cause === undefined ? {} : { cause: fromErrorData(data.cause) };
  const api = {
    ...options,
    status: data.status ?? 0,
    headers: data.headers,
    requestId: data.requestId,
    code: data.code,
    type: data.type,
    body: data.body,
  };
  const message = data.message;
  switch (data.name) {
    case "ResonantError": return new ResonantError(message, options);
    case "ApiVersionGoneError":
      return new ApiVersionGoneError(message, { ...api, apiVersion: data.apiVersion, upgradeTo: data.upgradeTo, sunsetDate: data.sunsetDate });
    case "UnprocessableEntityError": return new UnprocessableEntityError(message, { ...api, details: data.details });
    case "RateLimitError": return new RateLimitError(message, { ...api, retryAfter: data.retryAfter });
    case "APIConnectionError": return new APIConnectionError(message, options);
    case "APITimeoutError": return new APITimeoutError(message, options);
    case "ResponseValidationError":
      return new ResponseValidationError({ ...options, message, issues: data.issues ?? [], requestId: data.requestId, apiVersion: data.apiVersion });
    case "RequestValidationError": return new RequestValidationError({ ...options, message, issues: data.issues ?? [] });
    case "UnsupportedFeatureError":
      return new UnsupportedFeatureError({
        ...options,
        message,
        feature: data.feature ?? "",
        apiVersion: data.apiVersion ?? "",
        requiredVersion: data.requiredVersion ?? "",
      });
    case "WebhookSignatureError": return new WebhookSignatureError(message, { ...options, reason: data.reason ?? "signature_mismatch" });
  }
  const ApiClass = API_ERROR_CLASSES[data.name];
  if (ApiClass) return new ApiClass(message, api);
  // Not ours (a TypeError from a bug, say): keep its name for the reader.
  const plain = new Error(message, options);
  plain.name = data.name;
  return plain;
}

/**
 * Rebuild an error from {@link ErrorData}: the same class, every field, the
 * original stack and cause chain.
 *
 * @param data - What {@link toErrorData} produced (possibly after a structured clone).
 * @returns The SDK error class named by `data.name`, or a plain `Error` for other names.
 */
export function fromErrorData(data: ErrorData): Error {
  const err = build(data);
  if (data.stack !== undefined) {
    // Own property, like V8's, so it shows where the error really started.
    Object.defineProperty(err, "stack", { value: redact(data.stack), writable: true, configurable: true });
  }
  return err;
}
