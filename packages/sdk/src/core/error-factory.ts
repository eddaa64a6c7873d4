// Errors from answers. parseErrorBody reads every body form (1.2's `{"error": {...}}` or its inner object,
// 1.0/1.1's `{"detail": ...}`, a gateway's text or HTML page), so fields read the same.
import { API_VERSIONS, type ApiVersion } from "@resonantgenesis/schemas/meta";
import { toIsoDate } from "../internal/deprecation.js";
import { isRecord } from "../internal/is-record.js";
import { parseRetryAfterMs } from "../internal/retry.js";
import * as E from "./errors.js";
import type { HeaderSource } from "./redact.js";

// Per status: its text; the 1.2 code a 1.0/1.1 server (whose bodies carry none) would most likely have
// sent, so `err.code` works on every version; its class (else APIError, InternalServerError from 500); and
// its `type` where the body names none (else `api_error` from 500, `invalid_request_error` from 400).
const STATUS: Record<number, [text: string, code?: string, Class?: typeof E.APIError, type?: string]> = {
  400: ["Bad Request", "invalid_parameter", E.BadRequestError],
  401: ["Unauthorized", "api_key_invalid", E.AuthenticationError, "authentication_error"],
  403: ["Forbidden", "insufficient_permissions", E.PermissionDeniedError, "permission_error"],
  404: ["Not Found", "not_found", E.NotFoundError],
  409: ["Conflict", "already_exists", E.ConflictError],
  410: ["Gone", "api_version_gone", E.ApiVersionGoneError],
  413: ["Content Too Large", "request_too_large", E.RequestTooLargeError],
  422: ["Unprocessable Entity", "validation_error", E.UnprocessableEntityError],
  429: ["Too Many Requests", "rate_limit_exceeded", E.RateLimitError, "rate_limit_error"],
  500: ["Internal Server Error", "internal_error"],
  502: ["Bad Gateway", "upstream_error"],
  503: ["Service Unavailable", "service_unavailable"],
  504: ["Gateway Timeout", "upstream_error"],
};

/** A status's reason phrase: the transport's, else the usual one (HTTP/2, MSW and in-process fetches give none). */
export function reasonOf(status: number, given?: string): string | undefined {
  return str(given?.trim()) ?? STATUS[status]?.[0];
}

function deriveCode(status: number, message: string): string | undefined {
  // FastAPI's "Agent not found" maps to the specific 1.2 code.
  const kind = /^(agent|session|team|tool|memory|trigger|webhook) not found\b/i.exec(message.trim())?.[1];
  if (status === 404 && kind) return `${kind.toLowerCase()}_not_found`;
  if (status === 401 && /expired/i.test(message)) return "token_expired";
  return STATUS[status]?.[1] ?? (status >= 500 ? "internal_error" : undefined);
}

type Json = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};
const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">" };
// A gateway's error page: its <title> is usually the best one-line summary.
const pageText = (page: string): string =>
  (
    /<title[^>]*>([\s\S]*?)<\/title>/i.exec(page)?.[1] ??
    page.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")
  ).replace(/&(nbsp|amp|lt|gt);/g, (_, name: string) => ENTITIES[name]!);

/** A FastAPI `loc` as a field path, `["body", "agent_ids", 0]` → `agent_ids.0`: callers think in field names. */
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
  const text = Object.entries(details)
    .map(([path, messages]) => `${path}: ${messages.join(", ")}`)
    .join("; ");
  return text && !message.includes(text) ? `${message} (${text})` : message;
};

function parseJsonText(text: string): unknown {
  try {
    return /^\s*[{[]/.test(text) ? JSON.parse(text) : undefined;
  } catch {
    return undefined; // Not JSON after all (a truncated body, say): it is read as text.
  }
}

/**
 * Read an error body in any form the API or a gateway sends, into the same fields.
 * @param body - The raw response text, or a parsed JSON value (an import's `failed[].error`).
 * @param status - The HTTP status, if any: the older forms' `code` is derived from it.
 * @param contentType - The `Content-Type`, which tells an HTML page from text.
 * @example `parseErrorBody({ detail: [{ loc: ["body", "name"], msg: "field required" }] }).details` is `{ name: ["field required"] }`.
 */
export function parseErrorBody(body: unknown, status?: number, contentType?: string | null): ErrorBody {
  const json = typeof body === "string" ? parseJsonText(body) : body;
  const { error, detail } = isRecord(json) ? json : ({} as Json);
  const text = typeof body === "string" && json === undefined;
  const html = text && (/html/i.test(contentType ?? "") || /^\s*</.test(body));
  const details: Record<string, string[]> = {};
  let message: string | undefined;
  let code: string | undefined;
  const wrapped = isRecord(error);
  let e: Json | undefined; // An object of 1.2's error fields: `{"error": e}`'s, `{"detail": e}`'s, or the body (bare).
  if (text) message = html ? snippet(pageText(body)) || undefined : snippet(body);
  else if (wrapped) e = error;
  else if (isRecord(detail)) e = detail;
  else if (typeof detail === "string") message = detail;
  else if (Array.isArray(detail)) {
    for (const item of detail) {
      const path = isRecord(item) ? locToPath(item.loc) : "(root)";
      (details[path] ??= []).push(isRecord(item) ? (str(item.msg) ?? "invalid") : String(item));
    }
    message = "Validation failed";
  } else if (isRecord(json) && (str(json.message) ?? str(json.code)))
    e = json; // Bare, as an import's `failed[].error`.
  else message = snippet(JSON.stringify(json));
  if (e) {
    const fields = isRecord(e.details) && isRecord(e.details.fields) ? e.details.fields : {};
    for (const [path, m] of Object.entries(fields)) details[path] = (Array.isArray(m) ? m : [m]).map(String);
    // Unwrapped, it is all there is: the message comes from it whatever it holds.
    message = str(e.message) ?? str(e.msg) ?? (e === error ? undefined : snippet(JSON.stringify(e)));
    code = str(e.code);
  }
  // The forms without a code (1.0/1.1's, a bare object) get the likeliest one; a gateway's page gets none here.
  if (status !== undefined && !text && !wrapped) code ??= deriveCode(status, message ?? "");
  if (message !== undefined) message = withDetails(message, details);
  return { message, code, requestId: str(e?.request_id), type: str(e?.type), details, html, body: json ?? body };
}

/** The `APIError` subclass for an error answer: `body` its raw text, `apiVersion` the pin a 410 reports. */
export function makeAPIError(input: {
  status: number;
  headers?: HeaderSource | undefined;
  body?: string | null | undefined;
  apiVersion?: string | undefined;
  statusText?: string | undefined;
}): E.APIError {
  const { status } = input;
  const headers = new Headers(input.headers);
  const [, , known, knownType] = STATUS[status] ?? [];
  const Class = known ?? (status >= 500 ? E.InternalServerError : E.APIError);
  const statusText = reasonOf(status, input.statusText) ?? "Error";
  const empty = !input.body?.trim();
  const body = parseErrorBody(input.body ?? "", status, headers.get("content-type"));
  const requestId = body.requestId ?? str(headers.get("x-request-id"));

  let message = `${status} ${statusText}${body.code ? ` [${body.code}]` : ""}`;
  const summary = body.message ?? withDetails(statusText, body.details);
  // A gateway page titled "502 Bad Gateway" would otherwise say it twice.
  const redundant = [statusText, `${status} ${statusText}`].some((t) => t.toLowerCase() === summary.toLowerCase());
  if (empty) message += " (no body)";
  else message += redundant ? ` (${body.html ? "HTML error page" : "no details"})` : `: ${summary}`;
  if (requestId) message += ` (request ${requestId})`;

  const waitMs = parseRetryAfterMs(headers);
  // Every field any class takes: each class keeps its own (a 410's apiVersion, a 429's retryAfter).
  const init: E.ErrorInit<E.ApiVersionGoneError & E.UnprocessableEntityError & E.RateLimitError> = {
    status,
    headers,
    requestId,
    // Gateways' text and HTML bodies get one from the status too: set for every status the API documents.
    code: body.code ?? deriveCode(status, body.message ?? ""),
    type: body.type ?? knownType ?? (status >= 500 ? "api_error" : status >= 400 ? "invalid_request_error" : undefined),
    body: empty ? undefined : body.body,
    details: body.details,
    apiVersion: input.apiVersion ?? str(headers.get("x-api-version")),
    upgradeTo: str(headers.get("x-api-upgrade-to")?.trim()),
    // A 410 promises only X-API-Upgrade-To (docs/protocol.md section 1): else the sunset of the version's row
    // (read by ApiVersionGoneError alone).
    sunsetDate:
      toIsoDate(headers.get("x-api-sunset-date")) ??
      toIsoDate(headers.get("sunset")) ??
      (API_VERSIONS[input.apiVersion as ApiVersion]?.sunset || undefined),
    retryAfter: waitMs === undefined ? undefined : waitMs / 1000,
  };
  return new Class(message, init);
}
