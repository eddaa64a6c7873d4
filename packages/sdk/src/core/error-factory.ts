/**
 * Building the right {@link APIError} subclass from an HTTP error response,
 * whatever its body: the 1.2 `{"error": {...}}` form, the 1.0/1.1 FastAPI
 * `{"detail": ...}` form, or what gateways send (plain text, HTML, nothing).
 * Both API forms fill the same fields, so callers can branch on `code` and
 * `details` without knowing the version.
 *
 * @packageDocumentation
 */
import { toIsoDate } from "./deprecation.js";
import {
  APIError,
  ApiVersionGoneError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  UnprocessableEntityError,
  type ApiVersionGoneErrorInit,
  type RateLimitErrorInit,
  type UnprocessableEntityErrorInit,
} from "./errors.js";
import { redact, type HeaderSource } from "./redact.js";
import { parseRetryAfterMs } from "./retry.js";

/** The input of {@link makeAPIError}. */
export interface MakeAPIErrorInput {
  status: number;
  headers?: HeaderSource | undefined;
  /** The raw response text; empty or undefined when there was none. */
  body?: string | null | undefined;
  /** The client's pinned API version (reported on {@link ApiVersionGoneError}). */
  apiVersion?: string | undefined;
  /** The response's status text, when the transport gave one (HTTP/2 never does). */
  statusText?: string | undefined;
  cause?: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
  413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity",
  429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented",
  502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

// The 1.0/1.1 bodies carry no code; these are the 1.2 codes a server of that
// version would most likely have sent, so `err.code` works on every version.
const CODE_BY_STATUS: Record<number, string> = {
  400: "invalid_parameter", 401: "api_key_invalid", 403: "insufficient_permissions",
  404: "not_found", 409: "already_exists", 410: "api_version_gone", 413: "request_too_large",
  422: "validation_error", 429: "rate_limit_exceeded", 500: "internal_error",
  502: "upstream_error", 503: "service_unavailable", 504: "upstream_error",
};

const NOT_FOUND_KINDS = new Set(["agent", "session", "team", "tool", "memory", "trigger", "webhook"]);
const SNIPPET_LENGTH = 300;

/** The coarse category stored as `APIError.type`, the same for every body form. */
export function errorTypeForStatus(status: number): string | undefined {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  if (status >= 400) return "invalid_request_error";
  return undefined;
}

function deriveCode(status: number, message: string): string | undefined {
  // FastAPI's "Agent not found" maps to the specific 1.2 code.
  const kind = /^(\w+) not found\b/i.exec(message.trim())?.[1]?.toLowerCase();
  if (status === 404 && kind !== undefined && NOT_FOUND_KINDS.has(kind)) return `${kind}_not_found`;
  if (status === 401 && /expired/i.test(message)) return "token_expired";
  return CODE_BY_STATUS[status] ?? (status >= 500 ? "internal_error" : undefined);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Turn a FastAPI `loc` into a field path: `["body", "agent_ids", 0]` → `agent_ids.0`.
 * The leading location kind is dropped because callers think in field names.
 */
export function locToPath(loc: unknown): string {
  const parts = Array.isArray(loc) ? loc.map(String) : typeof loc === "string" ? [loc] : [];
  if (parts.length > 0 && ["body", "query", "path"].includes(parts[0]!)) parts.shift();
  return parts.length > 0 ? parts.join(".") : "(root)";
}

function addDetail(details: Record<string, string[]>, path: string, message: string): void {
  (details[path] ??= []).push(message);
}

function fieldsToDetails(fields: unknown): Record<string, string[]> | undefined {
  if (!isRecord(fields)) return undefined;
  const details: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(fields)) {
    for (const m of Array.isArray(messages) ? messages : [messages]) addDetail(details, path, String(m));
  }
  return details;
}

function formatDetails(details: Record<string, string[]>): string {
  return Object.entries(details)
    .map(([path, messages]) => `${path}: ${messages.join(", ")}`)
    .join("; ");
}

interface Parsed {
  message: string | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
  type?: string | undefined;
  details?: Record<string, string[]> | undefined;
  body: unknown;
  html?: boolean;
}

function parseJsonBody(json: unknown, status: number): Parsed {
  if (isRecord(json) && isRecord(json.error)) {
    const e = json.error;
    return {
      message: str(e.message),
      code: str(e.code),
      requestId: str(e.request_id),
      type: str(e.type),
      details: isRecord(e.details) ? fieldsToDetails(e.details.fields) : undefined,
      body: json,
    };
  }
  if (isRecord(json) && "detail" in json) {
    const detail = json.detail;
    if (typeof detail === "string") return { message: detail, code: deriveCode(status, detail), body: json };
    if (Array.isArray(detail)) {
      const details: Record<string, string[]> = {};
      for (const item of detail) {
        if (isRecord(item)) addDetail(details, locToPath(item.loc), str(item.msg) ?? "invalid");
        else addDetail(details, "(root)", String(item));
      }
      return { message: "Validation failed", code: deriveCode(status, ""), details, body: json };
    }
    if (isRecord(detail)) {
      const message = str(detail.message) ?? str(detail.msg) ?? snippet(JSON.stringify(detail));
      return { message, code: str(detail.code) ?? deriveCode(status, message), body: json };
    }
  }
  if (isRecord(json) && typeof json.message === "string") {
    return { message: json.message, code: str(json.code) ?? deriveCode(status, json.message), body: json };
  }
  return { message: snippet(JSON.stringify(json)), code: deriveCode(status, ""), body: json };
}

function parseTextBody(text: string, headers: Headers): Parsed {
  const looksHtml = /html/i.test(headers.get("content-type") ?? "") || /^\s*</.test(text);
  if (!looksHtml) return { message: snippet(text), body: text };
  // Gateway error pages: the <title> is usually the best one-line summary.
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const stripped = (title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
  return { message: snippet(stripped) || undefined, body: text, html: true };
}

function parseBody(text: string, status: number, headers: Headers): Parsed {
  if (/^\s*[{[]/.test(text)) {
    try {
      return parseJsonBody(JSON.parse(text) as unknown, status);
    } catch {
      // Not JSON after all (a truncated body, say); fall through to text.
    }
  }
  return parseTextBody(text, headers);
}

/**
 * Pick the error class for a status.
 *
 * @param status - The HTTP status.
 * @returns The class; the generic {@link APIError} for statuses without one.
 */
export function errorClassForStatus(status: number): typeof APIError {
  switch (status) {
    case 400: return BadRequestError;
    case 401: return AuthenticationError;
    case 403: return PermissionDeniedError;
    case 404: return NotFoundError;
    case 409: return ConflictError;
    case 410: return ApiVersionGoneError;
    case 413: return RequestTooLargeError;
    case 422: return UnprocessableEntityError;
    case 429: return RateLimitError;
    default: return status >= 500 ? InternalServerError : APIError;
  }
}

/**
 * Build the right {@link APIError} subclass from an error response.
 *
 * @param input - Status, headers, raw body text and the client's API version.
 * @returns The error, with `code`, `requestId`, `details`, `retryAfter`, ...
 *   filled from whichever body form the server used.
 */
export function makeAPIError(input: MakeAPIErrorInput): APIError {
  const { status } = input;
  const headers = new Headers(input.headers);
  const text = input.body ?? "";
  const statusText = str(input.statusText?.trim()) ?? STATUS_TEXT[status] ?? "Error";
  const parsed: Parsed = text.trim() === "" ? { message: undefined, body: undefined } : parseBody(text, status, headers);

  // Gateways' text and HTML bodies get a code from the status too, so `code`
  // is set for every error status the API documents, whatever answered.
  const code = parsed.code ?? deriveCode(status, parsed.message ?? "");
  const requestId = parsed.requestId ?? str(headers.get("x-request-id"));
  const details = parsed.details ?? {};

  let message: string;
  if (text.trim() === "") message = `${status} ${statusText} (no body)`;
  else {
    let summary = parsed.message ?? statusText;
    const fields = formatDetails(details);
    if (fields && !summary.includes(fields)) summary += ` (${fields})`;
    const head = `${status} ${statusText}${parsed.code ? ` [${parsed.code}]` : ""}`;
    // A gateway page titled "502 Bad Gateway" would otherwise say it twice.
    const redundant = [statusText, `${status} ${statusText}`].some((t) => t.toLowerCase() === summary.toLowerCase());
    message = redundant ? `${head} (${parsed.html ? "HTML error page" : "no details"})` : `${head}: ${summary}`;
  }
  if (requestId) message += ` (request ${requestId})`;
  message = redact(message);

  const init: ApiVersionGoneErrorInit & UnprocessableEntityErrorInit & RateLimitErrorInit = {
    status,
    headers,
    requestId,
    code,
    type: parsed.type ?? errorTypeForStatus(status),
    body: parsed.body,
    details,
  };
  if ("cause" in input) init.cause = input.cause;
  const Class = errorClassForStatus(status);
  // Every class takes one init and reads only the fields it declares, so the
  // status-specific ones are added only where their class will read them.
  if (Class === ApiVersionGoneError) {
    init.apiVersion = input.apiVersion ?? str(headers.get("x-api-version"));
    init.upgradeTo = str(headers.get("x-api-upgrade-to")?.trim());
    init.sunsetDate = toIsoDate(headers.get("x-api-sunset-date")) ?? toIsoDate(headers.get("sunset"));
  }
  if (Class === RateLimitError) {
    const ms = parseRetryAfterMs(headers);
    init.retryAfter = ms === undefined ? undefined : ms / 1000;
  }
  return new Class(message, init);
}
