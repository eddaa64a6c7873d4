/**
 * Steps (1.0+): `GET /sessions/{id}/steps`, a paginated list of a session's
 * steps in order.
 * @module
 */
import type { Ctx, RouteDef } from "../context.js";
import { findOr404 } from "../domain/common.js";
import { listResponse, readListQuery } from "./shared.js";

function list(ctx: Ctx): Response {
  const session = findOr404(ctx.account.sessions, "session", ctx.params.id);
  const query = readListQuery(ctx);
  return listResponse(ctx, ctx.account.extras(session.id).steps, "Step", query);
}

/** The step routes. */
export const stepRoutes: RouteDef[] = [{ method: "GET", path: "/sessions/:id/steps", since: "1.0", scope: "sessions:read", handler: list }];
