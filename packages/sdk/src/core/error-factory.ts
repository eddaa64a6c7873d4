/**
 * Reading an error answer, whatever its body: the 1.2 `{"error": {...}}` form (or its inner object,
 * as an import's `failed[].error`), the 1.0/1.1 `{"detail": ...}` form, or a gateway's text, HTML or
 * nothing. {@link parseErrorBody} is the one reader, so a field path reads `name`, never `body.name`.
 *
 * @packageDocumentation
 */
import { toIsoDate } from "../internal/deprecation.js";
import { parseRetryAfterMs } from "../internal/retry.js";
import * as E from "./errors.js";
import type { HeaderSource } from "./redact.js";

// Per status: its text, the 1.2 code a 1.0/1.1 server (whose bodies carry none) would most likely have
// sent, so `err.code` works on every version, and its class (else APIError, InternalServerError from 500).
const STATUS: Record<number, [text: string, code?: string, Class?: typeof E.APIError]> = {
  400: ["Bad Request", "invalid_parameter", E.BadRequestError],
  401: ["Unauthorized", "api_key_invalid", E.AuthenticationError],
  403: ["Forbidden", "insufficient_permissions", E.PermissionDeniedError],
  404: ["Not Found", "not_found", E.NotFoundError],
  405: ["Method Not Allowed"],
  408: ["Request Timeout"],
  409: ["Conflict", "already_exists", E.ConflictError],
  410: ["Gone", "api_version_gone", E.ApiVersionGoneError],
  413: ["Content Too Large", "request_too_large", E.RequestTooLargeError],
  415: ["Unsupported Media Type"],
  422: ["Unprocessable Entity", "validation_error", E.UnprocessableEntityError],
  429: ["Too Many Requests", "rate_limit_exceeded", E.RateLimitError],
  500: ["Internal Server Error", "internal_error"],
  501: ["Not Implemented"],
  502: ["Bad Gateway", "upstream_error"],
  503: ["Service Unavailable", "service_unavailable"],
  504: ["Gateway Timeout", "upstream_error"],
};

const NOT_FOUND_KINDS = new Set(["agent", "session", "team", "tool", "memory", "trigger", "webhook"]);

// The coarse category stored as `APIError.type`, the same for every body form.
function errorTypeForStatus(status: number): string | undefined {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return status >= 400 ? "invalid_request_error" : undefined;
}

function deriveCode(status: number | undefined, message: string): string | undefined {
  if (status === undefined) return undefined;
  // FastAPI's "Agent not found" maps to the specific 1.2 code.
  const kind = /^(\w+) not found\b/i.exec(message.trim())?.[1]?.toLowerCase();
  if (status === 404 && kind !== undefined && NOT_FOUND_KINDS.has(kind)) return `${kind}_not_found`;
  if (status === 401 && /expired/i.test(message)) return "token_expired";
  return STATUS[status]?.[1] ?? (status >= 500 ? "internal_error" : undefined);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * Turn a FastAPI `loc` into a field path: `["body", "agent_ids", 0]` → `agent_ids.0`.
 * The leading location kind is dropped because callers think in field names.
 */
export function locToPath(loc: unknown): string {
  const parts = Array.isArray(loc) ? loc.map(String) : typeof loc === "string" ? [loc] : [];
  if (parts.length > 0 && ["body", "query", "path"].includes(parts[0]!)) parts.shift();
  return parts.length > 0 ? parts.join(".") : "(root)";
}

/** What an error body says, in the same fields whichever form it came in. */
export interface ErrorBody {
  /** The server's message, with the field details appended (`Validation failed (name: field required)`). */
  message: string | undefined;
  /** The body's code, or one derived from the status for the older forms. */
  code: string | undefined;
  /** The body's `request_id`. */
  requestId: string | undefined;
  /** The body's `type`. */
  type: string | undefined;
  /** Field path (without `body.`) → messages; `{}` if none. */
  details: Record<string, string[]>;
  /** Whether the body was an HTML page (a gateway's). */
  html: boolean;
  /** The body itself: parsed JSON, or the text when it is not JSON. */
  body: unknown;
}

const withDetails = (message: string, details: Record<string, string[]>): string => {
  const fields = Object.entries(details).map(([path, messages]) => `${path}: ${messages.join(", ")}`);
  const text = fields.join("; ");
  return text && !message.includes(text) ? `${message} (${text})` : message;
};

function result(body: unknown, message: string | undefined, more: Partial<ErrorBody> = {}): ErrorBody {
  const details = more.details ?? {};
  const text = message === undefined ? undefined : withDetails(message, details);
  return { code: undefined, requestId: undefined, type: undefined, html: false, ...more, body, message: text, details };
}

/** The 1.2 form: `{"error": e}`, or `e` alone as an import's `failed[].error` carries it (`bare`). */
function apiForm(json: Json, e: Json, status: number | undefined, bare: boolean): ErrorBody {
  const details: Record<string, string[]> = {};
  const fields = isRecord(e.details) && isRecord(e.details.fields) ? e.details.fields : {};
  for (const [path, m] of Object.entries(fields)) details[path] = (Array.isArray(m) ? m : [m]).map(String);
  const message = str(e.message) ?? (bare ? snippet(JSON.stringify(json)) : undefined);
  const code = str(e.code) ?? (bare ? deriveCode(status, message ?? "") : undefined);
  return result(json, message, { code, details, requestId: str(e.request_id), type: str(e.type) });
}

function parseJson(json: unknown, status: number | undefined): ErrorBody {
  if (isRecord(json) && isRecord(json.error)) return apiForm(json, json.error, status, false);
  const detail = isRecord(json) ? json.detail : undefined;
  if (typeof detail === "string") return result(json, detail, { code: deriveCode(status, detail) });
  if (Array.isArray(detail)) {
    const details: Record<string, string[]> = {};
    for (const item of detail) {
      const path = isRecord(item) ? locToPath(item.loc) : "(root)";
      (details[path] ??= []).push(isRecord(item) ? (str(item.msg) ?? "invalid") : String(item));
    }
    return result(json, "Validation failed", { code: deriveCode(status, ""), details });
  }
  if (isRecord(detail)) {
    const message = str(detail.message) ?? str(detail.msg) ?? snippet(JSON.stringify(detail));
    return result(json, message, { code: str(detail.code) ?? deriveCode(status, message) });
  }
  if (isRecord(json) && (str(json.message) ?? str(json.code)) !== undefined) return apiForm(json, json, status, true);
  return result(json, snippet(JSON.stringify(json)), { code: deriveCode(status, "") });
}

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">" };

function parseText(text: string, status: number | undefined, contentType: string | null | undefined): ErrorBody {
  if (/^\s*[{[]/.test(text)) {
    try {
      return parseJson(JSON.parse(text) as unknown, status);
    } catch {
      // Not JSON after all (a truncated body, say); read it as text.
    }
  }
  if (!/html/i.test(contentType ?? "") && !/^\s*</.test(text)) return result(text, snippet(text));
  // Gateway error pages: the <title> is usually the best one-line summary.
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const plain = title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  const stripped = plain.replace(/&(nbsp|amp|lt|gt);/g, (_, name: string) => ENTITIES[name]!);
  return result(text, snippet(stripped) || undefined, { html: true });
}

/**
 * Read an error body in any form the API or a gateway sends (see the module's summary).
 *
 * @param body - The raw response text, or an already parsed JSON value (an import's `failed[].error`).
 * @param status - The HTTP status, when there is one: the older forms' `code` is derived from it.
 * @param contentType - The `Content-Type`, which tells an HTML page from text.
 * @returns The message, code, request id, type and field details, the same fields for every form.
 * @example `parseErrorBody({ detail: [{ loc: ["body", "name"], msg: "field required" }] }).details` is `{ name: ["field required"] }`.
 */
export function parseErrorBody(body: unknown, status?: number, contentType?: string | null): ErrorBody {
  return typeof body === "string" ? parseText(body, status, contentType) : parseJson(body, status);
}

/** The input of {@link makeAPIError}. */
export interface MakeAPIErrorInput {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers?: HeaderSource | undefined;
  /** The raw response text; empty or undefined when there was none. */
  body?: string | null | undefined;
  /** The client's pinned API version (reported on an `ApiVersionGoneError`). */
  apiVersion?: string | undefined;
  /** The response's status text, when the transport gave one (HTTP/2 never does). */
  statusText?: string | undefined;
  /** What caused the error, kept as its `cause`. */
  cause?: unknown;
}

/** The right `APIError` subclass for an error response, its fields read from whichever body form came. */
export function makeAPIError(input: MakeAPIErrorInput): E.APIError {
  const { status } = input;
  const headers = new Headers(input.headers);
  const text = input.body ?? "";
  const [knownText, , known] = STATUS[status] ?? [];
  const Class = known ?? (status >= 500 ? E.InternalServerError : E.APIError);
  const statusText = str(input.statusText?.trim()) ?? knownText ?? "Error";
  const empty = text.trim() === "";
  const body = empty ? result(undefined, undefined) : parseErrorBody(text, status, headers.get("content-type"));
  const requestId = body.requestId ?? str(headers.get("x-request-id"));

  let message = `${status} ${statusText}${body.code ? ` [${body.code}]` : ""}`;
  const summary = body.message ?? withDetails(statusText, body.details);
  // A gateway page titled "502 Bad Gateway" would otherwise say it twice.
  const redundant = [statusText, `${status} ${statusText}`].some((t) => t.toLowerCase() === summary.toLowerCase());
  if (empty) message += " (no body)";
  else message += redundant ? ` (${body.html ? "HTML error page" : "no details"})` : `: ${summary}`;
  if (requestId) message += ` (request ${requestId})`;

  const init: E.ErrorInit<E.ApiVersionGoneError & E.UnprocessableEntityError & E.RateLimitError> = {
    status,
    headers,
    requestId,
    // Gateways' text and HTML bodies get a code from the status too, so `code`
    // is set for every error status the API documents, whatever answered.
    code: body.code ?? deriveCode(status, body.message ?? ""),
    type: body.type ?? errorTypeForStatus(status),
    body: body.body,
    details: body.details,
  };
  if ("cause" in input) init.cause = input.cause;
  // Each class reads only its own fields; the status-specific ones are worked out only for their class.
  if (Class === E.ApiVersionGoneError) {
    init.apiVersion = input.apiVersion ?? str(headers.get("x-api-version"));
    init.upgradeTo = str(headers.get("x-api-upgrade-to")?.trim());
    init.sunsetDate = toIsoDate(headers.get("x-api-sunset-date")) ?? toIsoDate(headers.get("sunset"));
  }
  if (Class === E.RateLimitError) {
    const ms = parseRetryAfterMs(headers);
    init.retryAfter = ms === undefined ? undefined : ms / 1000;
  }
  return new Class(message, init);
}
