/**
 * Helpers every resource file uses: JSON answers serialised through the
 * version's schemas, list pages, body and query reading and validation. Each
 * takes Hono's context with the gateway's variables (gateway/env.ts).
 * @module
 */
import { PARSE_OPTIONS } from "@resonantgenesis/schemas";
import { schemaFor } from "../domain/common.js";
import { ApiError, invalidParameter, validationError, zodIssues, type FieldIssue } from "../errors.js";
import { presentAs } from "../evolve.js";
import type { RouteContext } from "../gateway/env.js";
import type { Collection } from "../store.js";

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

/** `204 No Content`. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Serialises a stored (1.2-shaped) object through the served version's
 * response schema: fields of later versions are stripped, and an object that
 * does not fit is a bug that surfaces as a 500 rather than a bad answer.
 */
export function present(c: RouteContext, schemaName: string, stored: unknown): unknown {
  return presentAs(c.get("version"), schemaName, stored, c.get("services").evolve);
}

/** `{object: "list", data, has_more, next_cursor}` with each item serialised by `schemaName`. */
export function listBody(
  c: RouteContext,
  schemaName: string,
  items: unknown[],
  hasMore: boolean,
  nextCursor: string | null,
): unknown {
  const page = {
    object: "list",
    data: items.map((i) => present(c, schemaName, i)),
    has_more: hasMore,
    next_cursor: nextCursor,
  };
  // The evolved server adds a field to the list envelope too.
  return c.get("services").evolve ? { ...page, approximate_total: items.length + (hasMore ? 1 : 0) } : page;
}

/**
 * A media type the API reads as JSON: `application/json` or a `+json` one,
 * parameters (`; charset=utf-8`) aside.
 */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The parsed JSON body, or undefined when there was none. Parsed here, by the
 * handlers that read it, so a bad body fails only a route that takes one (400 `invalid_json`).
 * docs/protocol.md section 2: "Request bodies are JSON (Content-Type:
 * application/json)". A body sent as another type (`text/plain`, what `fetch`
 * sends for a string body left without a Content-Type) is not read as JSON, as
 * FastAPI does, so it fails validation (422 on `body`); a body without any
 * Content-Type is read as JSON, as FastAPI also does.
 */
export function jsonBody(c: RouteContext): unknown {
  const raw = c.get("body");
  if (raw === undefined) return undefined;
  const type = c.req.header("content-type");
  if (type !== undefined && !JSON_MEDIA_TYPE.test(type.trim()))
    throw validationError([
      {
        path: [],
        message: `must be JSON sent as Content-Type: application/json, not ${type}`,
        type: "type_error.dict",
      },
    ]);
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new ApiError({
      status: 400,
      code: "invalid_json",
      message: `The request body is not valid JSON: ${(error as Error).message}`,
    });
  }
}

/** Validates the body with the version's `schemaName`; a 422 names every bad field. */
export function parseBody<T>(c: RouteContext, schemaName: string): T {
  const result = schemaFor(c.get("version"), schemaName).safeParse(jsonBody(c), PARSE_OPTIONS);
  if (!result.success) throw validationError(zodIssues(result.error));
  return result.data as T;
}

/** The query string as the client sent it. */
export function searchParams(c: RouteContext): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** The current mock time as ISO-8601 UTC. */
export function nowIso(c: RouteContext): string {
  return c.get("services").clock.now().toISOString();
}

/** Pagination and filters read off the query string. */
export interface ListQuery {
  limit: number;
  cursor: string | null;
  filters: Record<string, string>;
}

/**
 * Reads `limit` (1..max, default `def`), `cursor` and the named filters.
 * Unknown query parameters are ignored, as careful APIs do; a bad value is a
 * 400 `invalid_parameter` naming the parameter. `allowed` restricts filter values.
 */
export function readListQuery(
  c: RouteContext,
  filters: Record<string, readonly string[] | "string"> = {},
  def = 20,
  max = 100,
): ListQuery {
  const query = searchParams(c);
  const issues: FieldIssue[] = [];
  const rawLimit = query.get("limit");
  let limit = def;
  if (rawLimit !== null) {
    const n = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || n < 1 || n > max)
      issues.push({ path: ["limit"], message: `must be an integer from 1 to ${max}` });
    else limit = n;
  }
  const cursor = query.get("cursor");
  if (cursor === "") issues.push({ path: ["cursor"], message: "must not be empty" });
  const out: Record<string, string> = {};
  for (const [name, rule] of Object.entries(filters)) {
    const value = query.get(name);
    if (value === null) continue;
    if (Array.isArray(rule) && !rule.includes(value))
      issues.push({ path: [name], message: `must be one of ${rule.join(", ")}` });
    else if (value === "") issues.push({ path: [name], message: "must not be empty" });
    else out[name] = value;
  }
  if (issues.length) throw invalidParameter(issues);
  return { limit, cursor: cursor || null, filters: out };
}

/** Answers one page of a collection as a list. */
export function listResponse<T extends { id: string }>(
  c: RouteContext,
  collection: Collection<T>,
  schemaName: string,
  query: ListQuery,
  filter?: (item: T) => boolean,
  map: (item: T) => unknown = (item) => item,
): Response {
  const page = collection.page(query.limit, query.cursor, filter);
  return json(200, listBody(c, schemaName, page.items.map(map), page.hasMore, page.nextCursor));
}

/** Drops keys whose value is undefined, so a PATCH never erases a field it did not name. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
