/**
 * Sessions (1.0+): list with `?agent_id&status` (and `team_id` from 1.2),
 * create (1.2: `team_id` in place of `agent_id`; 1.1+: `"stream": true` with
 * `Accept: text/event-stream` answers the event stream), get, cancel, delete,
 * the stream of a running session (1.1+) with Last-Event-ID resume, and its
 * steps.
 * @module
 */
import { versionAtLeast } from "@resonantgenesis/schemas";
import { KIND_TABLE } from "@resonantgenesis/schemas/meta";
import { deleteSession, resolveRunner, startSession, type SessionFields } from "../domain/sessions.js";
import { ApiError } from "../errors.js";
import type { RouteContext, RouteDef } from "../gateway/env.js";
import { SINCE } from "../since.js";
import { sessionEventStream } from "./event-stream.js";
import { findItem, itemRoutes, kindRoute } from "./kind-routes.js";
import { json, listResponse, nowIso, parseBody, present, readListQuery, searchParams } from "./shared.js";

interface SessionParams {
  agent_id?: string;
  team_id?: string;
  goal: string;
  context?: Record<string, unknown> | null;
  max_steps?: number;
  metadata?: Record<string, string>;
  stream?: boolean;
}

function list(c: RouteContext): Response {
  // An id filter is any non-empty string, as a request's id is (docs/protocol.md section 8): one that names
  // nothing matches nothing.
  const filters: Record<string, readonly string[] | "string"> = {
    agent_id: "string",
    status: ["running", "completed", "failed", "cancelled"],
  };
  // A session names its team from the version that has teams.
  if (versionAtLeast(c.get("version"), KIND_TABLE.teams.since)) filters.team_id = "string";
  const query = readListQuery(c, filters);
  const f = query.filters;
  return listResponse(
    c,
    c.get("account").sessions,
    "Session",
    query,
    (s) =>
      (!f.agent_id || s.agent_id === f.agent_id) &&
      (!f.status || s.status === f.status) &&
      (!f.team_id || s.team_id === f.team_id),
  );
}

function create(c: RouteContext): Response {
  const account = c.get("account");
  const params = parseBody<SessionParams>(c, "SessionCreateParams");
  const { agentId, teamId } = resolveRunner(account, params);
  const fields: SessionFields = { agent_id: agentId, team_id: teamId, goal: params.goal };
  if (params.context !== undefined) fields.context = params.context;
  if (params.metadata !== undefined) fields.metadata = params.metadata;
  const session = startSession(c.get("services"), account, fields, nowIso(c), params.max_steps);
  if (params.stream && (c.req.header("accept") ?? "").toLowerCase().includes("text/event-stream")) {
    const response = sessionEventStream(c, session.id, 0);
    // An idempotent replay re-streams this session from the start instead of replaying bytes.
    c.set("streamedSession", session.id);
    return response;
  }
  return json(201, present(c, "Session", session));
}

function cancel(c: RouteContext): Response {
  const session = findItem(c, "sessions");
  c.get("services").engine.cancel(c.get("account"), session.id);
  return json(200, present(c, "Session", c.get("account").sessions.get(session.id)));
}

function stream(c: RouteContext): Response {
  const session = findItem(c, "sessions");
  const header = c.req.header("last-event-id") ?? searchParams(c).get("last_event_id");
  let last = 0;
  if (header !== null && header.trim() !== "") {
    if (!/^\d+$/.test(header.trim()))
      throw new ApiError({
        status: 400,
        code: "invalid_parameter",
        message: "Last-Event-ID must be a non-negative integer",
        details: { header: "Last-Event-ID" },
      });
    last = Number(header.trim());
  }
  return sessionEventStream(c, session.id, last);
}

function steps(c: RouteContext): Response {
  const session = findItem(c, "sessions");
  return listResponse(c, c.get("account").extras(session.id).steps, "Step", readListQuery(c));
}

/** The session routes, their steps and their stream (from 1.1). */
export const sessionRoutes: RouteDef[] = [
  kindRoute("sessions", "GET", "/sessions", list),
  kindRoute("sessions", "POST", "/sessions", create),
  ...itemRoutes("sessions", {
    remove: (c, session) => deleteSession(c.get("account"), c.get("services").engine, session.id),
  }),
  kindRoute("sessions", "POST", "/sessions/:id/cancel", cancel),
  kindRoute("sessions", "GET", "/sessions/:id/steps", steps),
  { ...kindRoute("sessions", "GET", "/sessions/:id/stream", stream), since: SINCE.eventStreams },
];
