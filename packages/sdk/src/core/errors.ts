/**
 * The error classes of SDK.md's "Errors" section. Every constructor takes
 * `(message, init)`, with `init` shaped like the class's `toJSON()`; each
 * class lists its own fields once, in {@link defineError} (see
 * `error-fields.ts`), and the base constructor, `toJSON()` and the
 * SyncClient's rebuild (`error-data.ts`) all read that list. Every message
 * goes through {@link redact} in the base constructor, so no path (server
 * body, caller input, a cause's text) can put a credential into a message, a
 * stack, `toString()` or `util.inspect`. Building an {@link APIError} from a
 * response lives in `error-factory.ts`.
 *
 * @packageDocumentation
 */
import { defineError, readFields, writeFields, type ErrorInit, type ErrorJSON, type ResonantErrorOptions, type ValidationIssue } from "./error-fields.js";
import { redact } from "./redact.js";

export type { ErrorInit, ErrorJSON, ResonantErrorOptions, ValidationIssue } from "./error-fields.js";

/** The base of every error the SDK throws. */
export class ResonantError extends Error {
  /**
   * @param message - Human-readable text; credentials in it are redacted.
   *   When undefined: `init.message`, else a message the class builds from its fields.
   * @param init - The class's fields (shaped like its `toJSON()`) and the optional `cause`.
   */
  constructor(message?: string | undefined, init: ResonantErrorOptions = {}) {
    const Class = new.target as typeof ResonantError;
    super(redact(message ?? init.message ?? Class.describe(init)), "cause" in init ? { cause: init.cause } : undefined);
    readFields(this, init);
  }

  /**
   * The message when none is given. Classes whose fields say what went wrong
   * (the validation errors, a timeout) build theirs from the init.
   *
   * @param _init - The init the error is being built from.
   */
  protected static describe(_init: object): string {
    return "ResonantGenesis SDK error.";
  }

  /** The safe, loggable fields of this error (those its class declares); none holds a credential. */
  toJSON(): ErrorJSON<this> {
    return { name: this.name, message: this.message, ...writeFields(this) } as ErrorJSON<this>;
  }
}
defineError(ResonantError, "ResonantError");

/** What every {@link APIError} is built from (its `toJSON()` fits). */
export type APIErrorInit = ErrorInit<APIError>;

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

  /**
   * @param message - Human-readable text; credentials in it are redacted.
   * @param init - The fields.
   */
  constructor(message: string, init: APIErrorInit) {
    super(message, init);
  }
}
defineError(APIError, "APIError", ["status", "code", "type", "requestId", "headers", "body"]);

/** 400: the request was malformed (bad parameter, bad JSON, version conflict). */
export class BadRequestError extends APIError {}
defineError(BadRequestError, "BadRequestError");

/** 401: the API key or token is missing, unknown or expired. */
export class AuthenticationError extends APIError {}
defineError(AuthenticationError, "AuthenticationError");

/** 403: the key lacks the scope for this call. */
export class PermissionDeniedError extends APIError {}
defineError(PermissionDeniedError, "PermissionDeniedError");

/** 404: no such object (or route). */
export class NotFoundError extends APIError {}
defineError(NotFoundError, "NotFoundError");

/** 409: a name is taken, an object exists, or an idempotency key was reused. */
export class ConflictError extends APIError {}
defineError(ConflictError, "ConflictError");

/** What an {@link ApiVersionGoneError} is built from (its `toJSON()` fits). */
export type ApiVersionGoneErrorInit = ErrorInit<ApiVersionGoneError>;

/** 410: the pinned API version is past its sunset date. */
export class ApiVersionGoneError extends APIError {
  /** The version that is gone. */
  declare readonly apiVersion: string | undefined;
  /** The version to move to (`X-API-Upgrade-To`, e.g. `v1.2`). */
  declare readonly upgradeTo: string | undefined;
  /** When the version stopped working, as an ISO date. */
  declare readonly sunsetDate: string | undefined;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: ApiVersionGoneErrorInit) {
    super(message, init);
  }
}
defineError(ApiVersionGoneError, "ApiVersionGoneError", ["apiVersion", "upgradeTo", "sunsetDate"]);

/** 413: the request body is over 10 MiB. */
export class RequestTooLargeError extends APIError {}
defineError(RequestTooLargeError, "RequestTooLargeError");

/** What an {@link UnprocessableEntityError} is built from (its `toJSON()` fits). */
export type UnprocessableEntityErrorInit = ErrorInit<UnprocessableEntityError>;

/** 422: the body failed the server's validation. */
export class UnprocessableEntityError extends APIError {
  /** Field path → messages, e.g. `{ name: ["must be 1 to 100 characters"] }`, from either body form; `{}` if none. */
  declare readonly details: Record<string, string[]>;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: UnprocessableEntityErrorInit) {
    super(message, init);
  }
}
defineError(UnprocessableEntityError, "UnprocessableEntityError", ["details"]);

/** What a {@link RateLimitError} is built from (its `toJSON()` fits). */
export type RateLimitErrorInit = ErrorInit<RateLimitError>;

/** 429: too many requests. */
export class RateLimitError extends APIError {
  /** Seconds the server asked to wait (`Retry-After` / `retry-after-ms`), if it said. */
  declare readonly retryAfter: number | undefined;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: RateLimitErrorInit) {
    super(message, init);
  }
}
defineError(RateLimitError, "RateLimitError", ["retryAfter"]);

/** 5xx: the server or a gateway in front of it failed. */
export class InternalServerError extends APIError {}
defineError(InternalServerError, "InternalServerError");

/** No response arrived: DNS, TCP, TLS or a reset connection. The network error is the `cause`. */
export class APIConnectionError extends ResonantError {
  protected static override describe(): string {
    return "Connection error.";
  }
}
defineError(APIConnectionError, "APIConnectionError");

/** No response arrived within the timeout. */
export class APITimeoutError extends APIConnectionError {
  protected static override describe(): string {
    return "Request timed out.";
  }
}
defineError(APITimeoutError, "APITimeoutError");

function formatIssues(issues: readonly ValidationIssue[] = [], max = Infinity): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || "(root)"}: ${i.message}`);
  const rest = issues.length - shown.length;
  return shown.join("; ") + (rest > 0 ? `; and ${rest} more` : "");
}

/**
 * The one-argument form `(init)` that the validation errors took before every
 * class took `(message, init)`; kept so that code written for it still runs.
 */
function messageFirst<I extends ResonantErrorOptions>(first: string | undefined | I, init: I | undefined): [string | undefined, I] {
  return typeof first === "object" && first !== null ? [first.message, first] : [first, init ?? ({} as I)];
}

/** What a {@link ResponseValidationError} is built from (its `toJSON()` fits). */
export type ResponseValidationErrorInit = ErrorInit<ResponseValidationError>;

/** The server's answer does not match the pinned version's schema. */
export class ResponseValidationError extends ResonantError {
  /** Every mismatch found. */
  declare readonly issues: ValidationIssue[];
  /** The server's request id, for support. */
  declare readonly requestId: string | undefined;
  /** The version whose schema the answer was checked against. */
  declare readonly apiVersion: string | undefined;

  /**
   * @param message - Human-readable text; undefined builds one from the issues.
   * @param init - The issues and context.
   */
  constructor(message: string | undefined, init: ResponseValidationErrorInit);
  /** @deprecated Pass the message first: `new ResponseValidationError(undefined, init)`. */
  constructor(init: ResponseValidationErrorInit);
  constructor(message: string | undefined | ResponseValidationErrorInit, init?: ResponseValidationErrorInit) {
    super(...messageFirst(message, init));
  }

  protected static override describe(init: ResponseValidationErrorInit): string {
    const where = init.apiVersion ? `the API ${init.apiVersion} schema` : "the schema";
    const req = init.requestId ? ` (request ${init.requestId})` : "";
    // Capped: a broken export page can have thousands of issues.
    return `The API's answer does not match ${where}${req}: ${formatIssues(init.issues, 20)}`;
  }
}
defineError(ResponseValidationError, "ResponseValidationError", ["issues", "requestId", "apiVersion"]);

/** What a {@link RequestValidationError} is built from (its `toJSON()` fits). */
export type RequestValidationErrorInit = ErrorInit<RequestValidationError>;

/** Bad input caught before anything was sent. The message lists every bad path. */
export class RequestValidationError extends ResonantError {
  /** Every problem found. */
  declare readonly issues: ValidationIssue[];

  /**
   * @param message - Human-readable text; undefined builds one from the issues.
   * @param init - The issues.
   */
  constructor(message: string | undefined, init: RequestValidationErrorInit);
  /** @deprecated Pass the message first: `new RequestValidationError(undefined, init)`. */
  constructor(init: RequestValidationErrorInit);
  constructor(message: string | undefined | RequestValidationErrorInit, init?: RequestValidationErrorInit) {
    super(...messageFirst(message, init));
  }

  protected static override describe(init: RequestValidationErrorInit): string {
    return `Invalid request: ${formatIssues(init.issues)}`;
  }
}
defineError(RequestValidationError, "RequestValidationError", ["issues"]);

/** What an {@link UnsupportedFeatureError} is built from (its `toJSON()` fits). */
export type UnsupportedFeatureErrorInit = ErrorInit<UnsupportedFeatureError>;

/** The pinned API version lacks the feature. */
export class UnsupportedFeatureError extends ResonantError {
  /** The feature, as users name it (`teams`, `sessions.stream`). */
  declare readonly feature: string;
  /** The client's pinned version. */
  declare readonly apiVersion: string;
  /** The first version that has the feature. */
  declare readonly requiredVersion: string;

  /**
   * @param message - Human-readable text; undefined builds one from the feature and versions.
   * @param init - The feature and versions.
   */
  constructor(message: string | undefined, init: UnsupportedFeatureErrorInit);
  /** @deprecated Pass the message first: `new UnsupportedFeatureError(undefined, init)`. */
  constructor(init: UnsupportedFeatureErrorInit);
  constructor(message: string | undefined | UnsupportedFeatureErrorInit, init?: UnsupportedFeatureErrorInit) {
    super(...messageFirst(message, init));
  }

  protected static override describe(init: UnsupportedFeatureErrorInit): string {
    return `${init.feature} needs API version ${init.requiredVersion}; this client is pinned to ${init.apiVersion}`;
  }
}
defineError(UnsupportedFeatureError, "UnsupportedFeatureError", ["feature", "apiVersion", "requiredVersion"]);

/** Why a webhook failed verification. */
export type WebhookSignatureFailure =
  | "missing_signature"
  | "malformed_signature"
  | "malformed_timestamp"
  | "timestamp_out_of_tolerance"
  | "signature_mismatch"
  | "invalid_payload"
  | "crypto_unavailable";

/** What a {@link WebhookSignatureError} is built from (its `toJSON()` fits). */
export type WebhookSignatureErrorInit = ErrorInit<WebhookSignatureError>;

/** A webhook delivery failed verification; the message says why, never the secret. */
export class WebhookSignatureError extends ResonantError {
  /** A machine-readable reason. */
  declare readonly reason: WebhookSignatureFailure;

  /**
   * @param message - Human-readable text.
   * @param init - The reason and optional cause.
   */
  constructor(message: string, init: WebhookSignatureErrorInit) {
    super(message, init);
  }
}
defineError(WebhookSignatureError, "WebhookSignatureError", ["reason"]);
