/**
 * Error answers in the form of the served version: FastAPI's `{"detail": ...}`
 * for 1.0 and 1.1, `{"error": {code, message, request_id, details}}` for 1.2
 * (docs/protocol.md section 3). Handlers throw {@link ApiError}; the app renders it.
 * @module
 */
import { issueMessage, type ApiVersion, type IssueLike } from "@resonantgenesis/schemas";
import { versionAtLeast } from "@resonantgenesis/schemas/meta";
import { SINCE } from "./since.js";

/** One bad field of a request: where it is and what is wrong with it. */
export interface FieldIssue {
  /** The path inside the body (or query), e.g. `["tool_ids", 0]`. */
  path: (string | number)[];
  /** A human-readable reason. */
  message: string;
  /** A FastAPI-style type tag (`value_error.missing`...), used by the 1.0/1.1 form. */
  type?: string;
}

/** Where bad fields were found, as FastAPI's `loc` names it. */
export type IssueLocation = "body" | "query";

/** What an {@link ApiError} carries: the answer's status and code, and what the error body says. */
export interface ApiErrorInit {
  /** HTTP status. */
  status: number;
  /** The snake_case code of docs/protocol.md section 3. */
  code: string;
  /** The human-readable message. */
  message: string;
  /** Extra members of `details` (1.2) or of the `detail` object (1.0/1.1). */
  details?: Record<string, unknown>;
  /** Field-level issues; a 422 in 1.0/1.1 renders them as FastAPI's list. */
  fields?: FieldIssue[];
  /** Where the field issues are (default "body"). */
  location?: IssueLocation;
  /** Extra response headers (Retry-After, X-API-Upgrade-To...). */
  headers?: Record<string, string>;
}

/**
 * An error a handler throws: the app turns it into a response in the served
 * version's form. `fields` makes it a field-level error (422 validation, or a
 * 400 with the bad query parameters).
 */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** The snake_case code of docs/protocol.md section 3. */
  readonly code: string;
  /** Extra members of `details` (1.2) or of the `detail` object (1.0/1.1). */
  readonly details: Record<string, unknown>;
  /** Field-level issues; a 422 in 1.0/1.1 renders them as FastAPI's list. */
  readonly fields: FieldIssue[];
  /** Where the field issues are. */
  readonly location: IssueLocation;
  /** Extra response headers (Retry-After, X-API-Upgrade-To...). */
  readonly headers: Record<string, string>;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.fields = init.fields ?? [];
    this.location = init.location ?? "body";
    this.headers = init.headers ?? {};
  }
}

/** A 422 `validation_error` naming every bad field. */
export function validationError(fields: FieldIssue[], location: IssueLocation = "body"): ApiError {
  const summary = fields.map((f) => `${f.path.join(".") || location}: ${f.message}`).join("; ");
  return new ApiError({
    status: 422,
    code: "validation_error",
    message: `The request ${location} is invalid: ${summary}`,
    fields,
    location,
  });
}

/** A 400 `invalid_parameter` for bad query parameters. */
export function invalidParameter(fields: FieldIssue[]): ApiError {
  const summary = fields.map((f) => `${f.path.join(".")}: ${f.message}`).join("; ");
  return new ApiError({
    status: 400,
    code: "invalid_parameter",
    message: `Invalid query parameter: ${summary}`,
    fields,
    location: "query",
  });
}

/** The parts of a zod issue the mock reads (structural, so the mock needs no direct zod dependency). */
export interface SchemaIssue extends IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/**
 * Turns zod issues into field issues, one per bad field (an unknown key is one
 * issue each). Issues parsed with the schemas package's `PARSE_OPTIONS` say "is required" for a
 * missing field, which becomes FastAPI's "field required".
 */
export function zodIssues(error: { issues: readonly SchemaIssue[] }): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const message = issueMessage(issue);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys ?? [])
        out.push({ path: [...path, key], message: "unknown field", type: "value_error.extra" });
    } else if (issue.code === "invalid_type" && message === "is required") {
      out.push({ path, message: "field required", type: "value_error.missing" });
    } else {
      out.push({ path, message, type: `value_error.${issue.code}` });
    }
  }
  return out;
}

/** The `details.fields` map of the 1.2 form: dotted path -> messages. */
function fieldsMap(fields: FieldIssue[], location: IssueLocation): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const f of fields) {
    const key = f.path.length ? f.path.join(".") : location;
    (map[key] ??= []).push(f.message);
  }
  return map;
}

/**
 * The JSON body of an error in the version's form. In 1.0/1.1, validation
 * errors use FastAPI's list; an error with structured details (a gone
 * version, a rate limit, a version conflict...) uses the object form of
 * `detail`, `{code, message, ...details}`; any other is a plain string, as
 * FastAPI's `HTTPException(detail="...")` sends.
 */
export function errorBody(version: ApiVersion, requestId: string, error: ApiError): unknown {
  if (versionAtLeast(version, SINCE.errorEnvelope)) {
    const details: Record<string, unknown> = { ...error.details };
    if (error.fields.length) details.fields = fieldsMap(error.fields, error.location);
    const body: Record<string, unknown> = { code: error.code, message: error.message, request_id: requestId };
    if (Object.keys(details).length) body.details = details;
    return { error: body };
  }
  if (error.status === 422 && error.fields.length) {
    return {
      detail: error.fields.map((f) => ({
        loc: [error.location, ...f.path],
        msg: f.message,
        type: f.type ?? "value_error",
      })),
    };
  }
  if (Object.keys(error.details).length === 0 && error.fields.length === 0) return { detail: oldFormText(error) };
  const detail: Record<string, unknown> = { code: error.code, message: error.message, ...error.details };
  if (error.fields.length) detail.fields = fieldsMap(error.fields, error.location);
  return { detail };
}

/** A plain `detail`: a missing object is said as docs/protocol.md section 3 shows it (`Agent not found`), else the message. */
function oldFormText(error: ApiError): string {
  const kind = /^(\w+)_not_found$/.exec(error.code)?.[1];
  return kind ? `${kind[0]!.toUpperCase()}${kind.slice(1)} not found` : error.message;
}

/** The error object alone, as an import's `failed[].error` carries it (1.2: the inner object; 1.0/1.1: `{detail}`). */
export function errorObject(version: ApiVersion, requestId: string, error: ApiError): unknown {
  const body = errorBody(version, requestId, error) as { error?: unknown };
  return versionAtLeast(version, SINCE.errorEnvelope) ? body.error : body;
}

/** A JSON response in the error form of `version`. */
export function errorResponse(version: ApiVersion, requestId: string, error: ApiError): Response {
  const headers = new Headers({ "Content-Type": "application/json", ...error.headers });
  return new Response(JSON.stringify(errorBody(version, requestId, error)), { status: error.status, headers });
}

/** The error every unexpected exception becomes: a 500 `internal_error`. */
export function internalError(cause: unknown): ApiError {
  return new ApiError({
    status: 500,
    code: "internal_error",
    message: `Internal error in the mock: ${cause instanceof Error ? cause.message : String(cause)}`,
  });
}
