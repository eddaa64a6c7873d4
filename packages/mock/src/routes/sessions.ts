/**
 * Sessions (1.0+): list with `?agent_id&status` (and `team_id` in 1.2),
 * create (1.2: `team_id` in place of `agent_id`; 1.1+: `"stream": true` with
 * `Accept: text/event-stream` answers the event stream), get, cancel, delete,
 * and the stream of a running session (1.1+) with Last-Event-ID resume.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { buildSession, deleteSession, resolveRunner, type SessionFields } from "../domain/sessions.js";
import { ApiError } from "../errors.js";
import { json, listResponse, noContent, nowIso, parseBody, present, readListQuery } from "./shared.js";

interface SessionParams {
  agent_id?: string;
  team_id?: string;
  goal: string;
  context?: Record<string, unknown> | null;
  max_steps?: number;
  metadata?: Record<string, string>;
  stream?: boolean;
}

/** Stores a session and starts it on the engine. */
export function startSession(ctx: Ctx, params: SessionParams): v1_2.Session {
  const { agentId, teamId } = resolveRunner(ctx.account, params);
  const fields: SessionFields = { agent_id: agentId, team_id: teamId, goal: params.goal };
  if (params.context !== undefined) fields.context = params.context;
  if (params.metadata !== undefined) fields.metadata = params.metadata;
  const session = ctx.account.sessions.insert(buildSession(fields, nowIso(ctx)));
  ctx.account.extras(session.id, params.max_steps ?? 10);
  ctx.internals.events.emit(ctx.account, "session.created", session);
  ctx.internals.engine.start(ctx.account, session.id);
  return session;
}

/** True when the client asked for server-sent events. */
function wantsEventStream(ctx: Ctx): boolean {
  return (ctx.headers.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}

function list(ctx: Ctx): Response {
  const filters: Record<string, readonly string[] | "id"> = { agent_id: "id", status: ["running", "completed", "failed", "cancelled"] };
  if (ctx.version === "1.2") filters.team_id = "id";
  const query = readListQuery(ctx, filters);
  const f = query.filters;
  return listResponse(ctx, ctx.account.sessions, "Session", query, (s) =>
    (!f.agent_id || s.agent_id === f.agent_id) && (!f.status || s.status === f.status) && (!f.team_id || s.team_id === f.team_id),
  );
}

function create(ctx: Ctx): Response {
  const params = parseBody<SessionParams>(ctx, "SessionCreateParams");
  const session = startSession(ctx, params);
  if (params.stream && wantsEventStream(ctx)) {
    const response = ctx.internals.engine.stream(ctx.account, session.id, 0, ctx.version, ctx.requestId);
    ctx.markStream(session.id);
    return response;
  }
  return json(201, present(ctx, "Session", session));
}

function get(ctx: Ctx): Response {
  return json(200, present(ctx, "Session", findOr404(ctx.account.sessions, "session", ctx.params.id)));
}

function cancel(ctx: Ctx): Response {
  const session = findOr404(ctx.account.sessions, "session", ctx.params.id);
  ctx.internals.engine.cancel(ctx.account, session.id);
  return json(200, present(ctx, "Session", ctx.account.sessions.get(session.id)));
}

function remove(ctx: Ctx): Response {
  const session = findOr404(ctx.account.sessions, "session", ctx.params.id);
  deleteSession(ctx.account, ctx.internals.engine, session.id);
  return noContent();
}

function stream(ctx: Ctx): Response {
  const session = findOr404(ctx.account.sessions, "session", ctx.params.id);
  const header = ctx.headers.get("last-event-id") ?? ctx.query.get("last_event_id");
  let last = 0;
  if (header !== null && header.trim() !== "") {
    if (!/^\d+$/.test(header.trim()))
      throw new ApiError({ status: 400, code: "invalid_parameter", message: "Last-Event-ID must be a non-negative integer", details: { header: "Last-Event-ID" } });
    last = Number(header.trim());
  }
  return ctx.internals.engine.stream(ctx.account, session.id, last, ctx.version, ctx.requestId);
}

/** The session routes. */
export const sessionRoutes: RouteDef[] = [
  { method: "GET", path: "/sessions", since: "1.0", scope: "sessions:read", handler: list },
  { method: "POST", path: "/sessions", since: "1.0", scope: "sessions:write", handler: create },
  { method: "GET", path: "/sessions/:id", since: "1.0", scope: "sessions:read", handler: get },
  { method: "POST", path: "/sessions/:id/cancel", since: "1.0", scope: "sessions:write", handler: cancel },
  { method: "DELETE", path: "/sessions/:id", since: "1.0", scope: "sessions:write", handler: remove },
  { method: "GET", path: "/sessions/:id/stream", since: "1.1", scope: "sessions:read", handler: stream },
];
