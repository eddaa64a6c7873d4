// The error classes of docs/errors.md. `init` is shaped like `toJSON()`, so `new E(json.message, json)` rebuilds one.
// Fields are `declare`d and set by constructors: a field definition costs browser bytes.
import type { Issue } from "@resonantgenesis/schemas/report";
import { redact, redactDeep, sanitizeHeaders, type HeaderSource } from "./redact.js";

/** One problem found while validating data: where (a dotted path, `agents.3.name`, or `(root)`), and what is wrong. */
export type ValidationIssue = Issue;

/** Options every error constructor accepts. */
export interface ResonantErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
  /** The message, used when the constructor's first argument is undefined (so a `toJSON()` rebuilds its error). */
  message?: string | undefined;
}

// An error's own fields, as its `toJSON()` writes them beside name and message (headers as a record).
type Fields<E> = { [K in Exclude<keyof E, keyof ResonantError>]: E[K] extends Headers ? Record<string, string> : E[K] };
// Headers are taken in any form `new Headers()` takes; `details` may be left out (it becomes `{}`).
type Inputs<E, F = Fields<E>> = {
  [K in keyof F]: K extends "headers" ? HeaderSource | undefined : K extends "details" ? F[K] | undefined : F[K];
};
type OptionalKeys<F> = { [K in keyof F]-?: undefined extends F[K] ? K : never }[keyof F];

/** What an error of type `E` is built from: its `toJSON()` fields (those that may be undefined optional) and `cause`. */
export type ErrorInit<E> = ResonantErrorOptions & Omit<Inputs<E>, OptionalKeys<Inputs<E>>> & Partial<Inputs<E>>;

/** What `toJSON()` of an error of type `E` gives: name, message and every field, as plain data. */
export type ErrorJSON<E> = { name: string; message: string } & Fields<E>;

/** The base of every error the SDK throws. */
export class ResonantError extends Error {
  /** The message is redacted; when undefined, `init.message` or one built from the fields is used. */
  constructor(message?: string, init: ResonantErrorOptions = {}) {
    super(redact(message ?? init.message ?? "ResonantGenesis SDK error."), init); // Error reads its `cause` only.
  }

  /** The error's own fields as plain data (headers as a record); none holds a credential. */
  toJSON(): ErrorJSON<this> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this))
      json[key] = value instanceof Headers ? Object.fromEntries(value) : value;
    return json as ErrorJSON<this>;
  }
}

/** The API answered with an error status. */
export class APIError extends ResonantError {
  /** The HTTP status. */
  declare readonly status: number;
  /** The machine-readable error code (`agent_not_found`), for every API version. */
  declare readonly code: string | undefined;
  /** A coarse category (`invalid_request_error`, `rate_limit_error`, ...). */
  declare readonly type: string | undefined;
  /** The server's request id (body `request_id` or `X-Request-Id`), for support. */
  declare readonly requestId: string | undefined;
  /** The response headers, without credentials (`authorization`, `cookie`, ...). */
  declare readonly headers: Headers;
  /** The body as received: a JSON value, the raw text, or undefined if empty; strings in it are redacted. */
  declare readonly body: unknown;

  constructor(message: string | undefined, init: ErrorInit<APIError>) {
    super(message, init);
    this.status = init.status;
    // A server or proxy may echo a key in any of them (an X-Request-Id, a code, the body).
    this.code = redact(init.code);
    this.type = redact(init.type);
    this.requestId = redact(init.requestId);
    this.headers = sanitizeHeaders(init.headers);
    this.body = redactDeep(init.body);
  }
}

/** 400: the request was malformed (bad parameter, bad JSON, version conflict). */
export class BadRequestError extends APIError {}
/** 401: the API key or token is missing, unknown or expired. */
export class AuthenticationError extends APIError {}
/** 403: the key lacks the scope for this call. */
export class PermissionDeniedError extends APIError {}
/** 404: no such object (or route). */
export class NotFoundError extends APIError {}
/** 409: a name is taken, an object exists, or an idempotency key was reused. */
export class ConflictError extends APIError {}

/** 410: the pinned API version is past its sunset date. */
export class ApiVersionGoneError extends APIError {
  /** The version that is gone. */
  declare readonly apiVersion: string | undefined;
  /** The version to move to (`X-API-Upgrade-To`, e.g. `v1.2`). */
  declare readonly upgradeTo: string | undefined;
  /** When the version stopped working, as an ISO date. */
  declare readonly sunsetDate: string | undefined;

  constructor(message: string | undefined, init: ErrorInit<ApiVersionGoneError>) {
    super(message, init);
    this.apiVersion = redact(init.apiVersion);
    this.upgradeTo = redact(init.upgradeTo);
    this.sunsetDate = init.sunsetDate; // A date, read as one.
  }
}

/** 413: the request body is over 10 MiB. */
export class RequestTooLargeError extends APIError {}

/** 422: the body failed the server's validation. */
export class UnprocessableEntityError extends APIError {
  /** Field path → messages, e.g. `{ name: ["must be 1 to 100 characters"] }`, from either body form; `{}` if none. */
  declare readonly details: Record<string, string[]>;

  constructor(message: string | undefined, init: ErrorInit<UnprocessableEntityError>) {
    super(message, init);
    this.details = redactDeep(init.details ?? {}) as Record<string, string[]>;
  }
}

/** 429: too many requests. */
export class RateLimitError extends APIError {
  /** Seconds the server asked to wait (`Retry-After` / `retry-after-ms`), if it said. */
  declare readonly retryAfter: number | undefined;

  constructor(message: string | undefined, init: ErrorInit<RateLimitError>) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** 5xx: the server or a gateway in front of it failed. */
export class InternalServerError extends APIError {}

/** No response arrived: DNS, TCP, TLS or a reset connection. The network error is the `cause`. */
export class APIConnectionError extends ResonantError {
  constructor(message?: string, init: ResonantErrorOptions = {}) {
    super(message ?? init.message ?? "Connection error.", init);
  }
}

/** No response arrived within the timeout. */
export class APITimeoutError extends APIConnectionError {
  constructor(message?: string, init: ResonantErrorOptions = {}) {
    super(message ?? init.message ?? "Request timed out.", init);
  }
}

function formatIssues(issues: readonly ValidationIssue[], max?: number): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || "(root)"}: ${i.message}`);
  const rest = issues.length - shown.length;
  return shown.join("; ") + (rest > 0 ? `; and ${rest} more` : "");
}

const redactIssues = (issues: readonly ValidationIssue[] = []): ValidationIssue[] =>
  issues.map((i) => ({ path: redact(i.path), message: redact(i.message) }));

/** The server's answer does not match the pinned version's schema. */
export class ResponseValidationError extends ResonantError {
  /** Every mismatch found. */
  declare readonly issues: ValidationIssue[];
  /** The server's request id, for support. */
  declare readonly requestId: string | undefined;
  /** The version whose schema the answer was checked against. */
  declare readonly apiVersion: string | undefined;

  constructor(message: string | undefined, init: ErrorInit<ResponseValidationError>) {
    const where = init.apiVersion ? `the API ${init.apiVersion} schema` : "the schema";
    const req = init.requestId ? ` (request ${init.requestId})` : "";
    // Capped: a broken export page can have thousands of issues.
    const built = `The API's answer does not match ${where}${req}: ${formatIssues(init.issues, 20)}`;
    super(message ?? init.message ?? built, init);
    this.issues = redactIssues(init.issues);
    this.requestId = redact(init.requestId);
    this.apiVersion = init.apiVersion; // The client's pin.
  }
}

/** Bad input caught before anything was sent. The message lists every bad path. */
export class RequestValidationError extends ResonantError {
  /** Every problem found. */
  declare readonly issues: ValidationIssue[];

  constructor(message: string | undefined, init: ErrorInit<RequestValidationError>) {
    super(message ?? init.message ?? `Invalid request: ${formatIssues(init.issues)}`, init);
    this.issues = redactIssues(init.issues);
  }
}

/** The pinned API version lacks the feature. */
export class UnsupportedFeatureError extends ResonantError {
  /** The feature, as users name it (`teams`, `sessions.stream`). */
  declare readonly feature: string;
  /** The client's pinned version. */
  declare readonly apiVersion: string;
  /** The first version that has the feature. */
  declare readonly requiredVersion: string;

  constructor(message: string | undefined, init: ErrorInit<UnsupportedFeatureError>) {
    const built = `${init.feature} needs API version ${init.requiredVersion}; this client is pinned to ${init.apiVersion}`;
    super(message ?? init.message ?? built, init);
    this.feature = init.feature;
    this.apiVersion = init.apiVersion;
    this.requiredVersion = init.requiredVersion;
  }
}

/** Why a webhook failed verification. */
export type WebhookSignatureFailure =
  | "missing_signature"
  | "malformed_signature"
  | "malformed_timestamp"
  | "timestamp_out_of_tolerance"
  | "signature_mismatch"
  | "invalid_payload"
  | "crypto_unavailable";

/** A webhook delivery failed verification; the message says why, never the secret. */
export class WebhookSignatureError extends ResonantError {
  /** A machine-readable reason. */
  declare readonly reason: WebhookSignatureFailure;

  constructor(message: string | undefined, init: ErrorInit<WebhookSignatureError>) {
    super(message, init);
    this.reason = init.reason;
  }
}

/** Every error class by its name: `new ERROR_CLASSES[name](json.message, json as never)` rebuilds an error from its JSON (docs/errors.md). */
export const ERROR_CLASSES = {
  ResonantError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  ApiVersionGoneError,
  RequestTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  ResponseValidationError,
  RequestValidationError,
  UnsupportedFeatureError,
  WebhookSignatureError,
} as const;

// On the prototype, not a field: a field is set after `super()`, too late for the stack header,
// and bundlers that mangle class names would break `constructor.name`.
for (const [name, Class] of Object.entries(ERROR_CLASSES)) Class.prototype.name = name;
