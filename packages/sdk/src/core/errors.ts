/**
 * The error classes of SDK.md's "Errors" section. Every message goes through
 * {@link redact} in the base constructor, so no path (server body, caller
 * input, a cause's text) can put a credential into a message, a stack,
 * `toString()` or `util.inspect`. Building an {@link APIError} from a
 * response lives in `error-factory.ts`; moving errors across a worker
 * boundary lives in `error-data.ts`.
 *
 * @packageDocumentation
 */
import { redact, redactDeep, sanitizeHeaders } from "./redact.js";

/** One problem found while validating data: where, and what is wrong. */
export interface ValidationIssue {
  /** A dotted path into the value (`agents.3.name`), or `(root)`. */
  path: string;
  /** What is wrong there. */
  message: string;
}

// The name lives on the prototype rather than in a class field: a field is
// assigned only after `super()` returns, too late for the stack header, and
// bundlers that mangle class names would break `constructor.name`.
function setName(ctor: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(ctor.prototype, "name", { value: name, writable: true, configurable: true });
}

/** Options every error constructor accepts. */
export interface ResonantErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/** The base of every error the SDK throws. */
export class ResonantError extends Error {
  /**
   * @param message - Human-readable text; credentials in it are redacted.
   * @param options - The optional `cause`.
   */
  constructor(message: string, options?: ResonantErrorOptions) {
    super(redact(message), options && "cause" in options ? { cause: options.cause } : undefined);
  }

  /**
   * The safe, loggable fields of this error. Subclasses add theirs; none
   * holds a credential.
   */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}
setName(ResonantError, "ResonantError");

/** What every {@link APIError} is built from. */
export interface APIErrorInit extends ResonantErrorOptions {
  status: number;
  /**
   * Response headers; `authorization` and other credentials are dropped.
   * Typed as what `new Headers()` takes rather than the DOM's `HeadersInit`,
   * which a Node project without the DOM lib does not have.
   */
  headers?: ConstructorParameters<typeof Headers>[0];
  requestId?: string | undefined;
  code?: string | undefined;
  type?: string | undefined;
  /** The parsed body (JSON value) or the raw text; strings in it are redacted. */
  body?: unknown;
}

/** The API answered with an error status. */
export class APIError extends ResonantError {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers, without credentials. */
  readonly headers: Headers;
  /** The server's request id (body `request_id` or `X-Request-Id`), for support. */
  readonly requestId: string | undefined;
  /** The machine-readable error code (`agent_not_found`), for every API version. */
  readonly code: string | undefined;
  /** A coarse category (`invalid_request_error`, `rate_limit_error`, ...). */
  readonly type: string | undefined;
  /** The body as received: a JSON value, the raw text, or undefined if empty. */
  readonly body: unknown;

  /**
   * @param message - Human-readable text; credentials in it are redacted.
   * @param init - The fields.
   */
  constructor(message: string, init: APIErrorInit) {
    super(message, init);
    this.status = init.status;
    this.headers = sanitizeHeaders(init.headers);
    this.requestId = init.requestId;
    this.code = init.code;
    this.type = init.type;
    this.body = redactDeep(init.body);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      code: this.code,
      type: this.type,
      requestId: this.requestId,
      headers: Object.fromEntries(this.headers),
      body: this.body,
    };
  }
}
setName(APIError, "APIError");

/** 400: the request was malformed (bad parameter, bad JSON, version conflict). */
export class BadRequestError extends APIError {}
setName(BadRequestError, "BadRequestError");

/** 401: the API key or token is missing, unknown or expired. */
export class AuthenticationError extends APIError {}
setName(AuthenticationError, "AuthenticationError");

/** 403: the key lacks the scope for this call. */
export class PermissionDeniedError extends APIError {}
setName(PermissionDeniedError, "PermissionDeniedError");

/** 404: no such object (or route). */
export class NotFoundError extends APIError {}
setName(NotFoundError, "NotFoundError");

/** 409: a name is taken, an object exists, or an idempotency key was reused. */
export class ConflictError extends APIError {}
setName(ConflictError, "ConflictError");

/** What an {@link ApiVersionGoneError} is built from. */
export interface ApiVersionGoneErrorInit extends APIErrorInit {
  apiVersion?: string | undefined;
  upgradeTo?: string | undefined;
  sunsetDate?: string | undefined;
}

/** 410: the pinned API version is past its sunset date. */
export class ApiVersionGoneError extends APIError {
  /** The version that is gone. */
  readonly apiVersion: string | undefined;
  /** The version to move to (`X-API-Upgrade-To`, e.g. `v1.2`). */
  readonly upgradeTo: string | undefined;
  /** When the version stopped working, as an ISO date. */
  readonly sunsetDate: string | undefined;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: ApiVersionGoneErrorInit) {
    super(message, init);
    this.apiVersion = init.apiVersion;
    this.upgradeTo = init.upgradeTo;
    this.sunsetDate = init.sunsetDate;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), apiVersion: this.apiVersion, upgradeTo: this.upgradeTo, sunsetDate: this.sunsetDate };
  }
}
setName(ApiVersionGoneError, "ApiVersionGoneError");

/** 413: the request body is over 10 MiB. */
export class RequestTooLargeError extends APIError {}
setName(RequestTooLargeError, "RequestTooLargeError");

/** What an {@link UnprocessableEntityError} is built from. */
export interface UnprocessableEntityErrorInit extends APIErrorInit {
  details?: Record<string, string[]> | undefined;
}

/** 422: the body failed the server's validation. */
export class UnprocessableEntityError extends APIError {
  /** Field path → messages, e.g. `{ name: ["must be 1 to 100 characters"] }`, from either body form. */
  readonly details: Record<string, string[]>;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: UnprocessableEntityErrorInit) {
    super(message, init);
    this.details = redactDeep(init.details ?? {}) as Record<string, string[]>;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), details: this.details };
  }
}
setName(UnprocessableEntityError, "UnprocessableEntityError");

/** What a {@link RateLimitError} is built from. */
export interface RateLimitErrorInit extends APIErrorInit {
  retryAfter?: number | undefined;
}

/** 429: too many requests. */
export class RateLimitError extends APIError {
  /** Seconds the server asked to wait (`Retry-After` / `retry-after-ms`), if it said. */
  readonly retryAfter: number | undefined;

  /**
   * @param message - Human-readable text.
   * @param init - The fields.
   */
  constructor(message: string, init: RateLimitErrorInit) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfter: this.retryAfter };
  }
}
setName(RateLimitError, "RateLimitError");

/** 5xx: the server or a gateway in front of it failed. */
export class InternalServerError extends APIError {}
setName(InternalServerError, "InternalServerError");

/** No response arrived: DNS, TCP, TLS or a reset connection. */
export class APIConnectionError extends ResonantError {
  /**
   * @param message - Human-readable text.
   * @param options - The underlying network error as `cause`.
   */
  constructor(message = "Connection error.", options?: ResonantErrorOptions) {
    super(message, options);
  }
}
setName(APIConnectionError, "APIConnectionError");

/** No response arrived within the timeout. */
export class APITimeoutError extends APIConnectionError {
  /**
   * @param message - Human-readable text.
   * @param options - The optional `cause`.
   */
  constructor(message = "Request timed out.", options?: ResonantErrorOptions) {
    super(message, options);
  }
}
setName(APITimeoutError, "APITimeoutError");

function formatIssues(issues: readonly ValidationIssue[], max = Infinity): string {
  const shown = issues.slice(0, max).map((i) => `${i.path || "(root)"}: ${i.message}`);
  const rest = issues.length - shown.length;
  return shown.join("; ") + (rest > 0 ? `; and ${rest} more` : "");
}

/** What a {@link ResponseValidationError} is built from. */
export interface ResponseValidationErrorInit extends ResonantErrorOptions {
  issues: ValidationIssue[];
  requestId?: string | undefined;
  apiVersion?: string | undefined;
  /** Overrides the message built from the issues. */
  message?: string | undefined;
}

/** The server's answer does not match the pinned version's schema. */
export class ResponseValidationError extends ResonantError {
  /** Every mismatch found. */
  readonly issues: ValidationIssue[];
  /** The server's request id, for support. */
  readonly requestId: string | undefined;
  /** The version whose schema the answer was checked against. */
  readonly apiVersion: string | undefined;

  /** @param init - The issues and context. */
  constructor(init: ResponseValidationErrorInit) {
    const where = init.apiVersion ? `the API ${init.apiVersion} schema` : "the schema";
    const req = init.requestId ? ` (request ${init.requestId})` : "";
    // Capped: a broken export page can have thousands of issues.
    super(init.message ?? `The API's answer does not match ${where}${req}: ${formatIssues(init.issues, 20)}`, init);
    this.issues = init.issues.map((i) => ({ path: redact(i.path), message: redact(i.message) }));
    this.requestId = init.requestId;
    this.apiVersion = init.apiVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues, requestId: this.requestId, apiVersion: this.apiVersion };
  }
}
setName(ResponseValidationError, "ResponseValidationError");

/** What a {@link RequestValidationError} is built from. */
export interface RequestValidationErrorInit extends ResonantErrorOptions {
  issues: ValidationIssue[];
  /** Overrides the message built from the issues. */
  message?: string | undefined;
}

/** Bad input caught before anything was sent. The message lists every bad path. */
export class RequestValidationError extends ResonantError {
  /** Every problem found. */
  readonly issues: ValidationIssue[];

  /** @param init - The issues. */
  constructor(init: RequestValidationErrorInit) {
    super(init.message ?? `Invalid request: ${formatIssues(init.issues)}`, init);
    this.issues = init.issues.map((i) => ({ path: redact(i.path), message: redact(i.message) }));
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
setName(RequestValidationError, "RequestValidationError");

/** What an {@link UnsupportedFeatureError} is built from. */
export interface UnsupportedFeatureErrorInit extends ResonantErrorOptions {
  /** The feature, as users name it (`teams`, `sessions.stream`). */
  feature: string;
  /** The client's pinned version. */
  apiVersion: string;
  /** The first version that has the feature. */
  requiredVersion: string;
  message?: string | undefined;
}

/** The pinned API version lacks the feature. */
export class UnsupportedFeatureError extends ResonantError {
  /** The feature, as users name it (`teams`, `sessions.stream`). */
  readonly feature: string;
  /** The client's pinned version. */
  readonly apiVersion: string;
  /** The first version that has the feature. */
  readonly requiredVersion: string;

  /** @param init - The feature and versions. */
  constructor(init: UnsupportedFeatureErrorInit) {
    super(
      init.message ??
        `${init.feature} needs API version ${init.requiredVersion}; this client is pinned to ${init.apiVersion}`,
      init,
    );
    this.feature = init.feature;
    this.apiVersion = init.apiVersion;
    this.requiredVersion = init.requiredVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), feature: this.feature, apiVersion: this.apiVersion, requiredVersion: this.requiredVersion };
  }
}
setName(UnsupportedFeatureError, "UnsupportedFeatureError");

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
  readonly reason: WebhookSignatureFailure;

  /**
   * @param message - Human-readable text.
   * @param init - The reason and optional cause.
   */
  constructor(message: string, init: { reason: WebhookSignatureFailure } & ResonantErrorOptions) {
    super(message, init);
    this.reason = init.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}
setName(WebhookSignatureError, "WebhookSignatureError");
