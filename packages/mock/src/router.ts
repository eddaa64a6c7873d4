/**
 * The route table, the gateway's last stage. Routes match the path below the
 * version prefix; each checks the version that added it (earlier versions
 * answer 404, as the route does not exist there) and the caller's scope,
 * then runs its handler on Hono's context, whose variables the stages set.
 * @module
 */
import { versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas";
import type { Hono } from "hono";
import { requireScope } from "./auth.js";
import { ApiError, errorResponse, internalError } from "./errors.js";
import type { GatewayEnv, RouteContext, RouteDef } from "./gateway/env.js";
import { agentRoutes } from "./routes/agents.js";
import { dataRoutes } from "./routes/data.js";
import { evolvedExportRoutes, exportRoutes } from "./routes/export.js";
import { evolvedImportRoutes, importRoutes } from "./routes/import.js";
import { memoryRoutes } from "./routes/memories.js";
import { sessionRoutes } from "./routes/sessions.js";
import { teamRoutes } from "./routes/teams.js";
import { toolRoutes } from "./routes/tools.js";
import { triggerRoutes } from "./routes/triggers.js";
import { webhookRoutes } from "./routes/webhooks.js";

/** Every route, the fixed paths (`/agents/export`) before the `/:id` ones that would shadow them. */
export const ROUTES: readonly RouteDef[] = [
  ...exportRoutes,
  ...importRoutes,
  ...evolvedExportRoutes,
  ...evolvedImportRoutes,
  ...dataRoutes,
  ...triggerRoutes,
  ...agentRoutes,
  ...sessionRoutes,
  ...webhookRoutes,
  ...toolRoutes,
  ...teamRoutes,
  ...memoryRoutes,
];

/** Renders a thrown error in the served version's form; unexpected ones become 500 internal_error. */
export function renderError(version: ApiVersion, requestId: string, error: unknown): Response {
  return errorResponse(version, requestId, error instanceof ApiError ? error : internalError(error));
}

/** The 404 of a path no route of the served version has. */
function routeNotFound(c: RouteContext): ApiError {
  const message = `No route ${c.req.method} ${new URL(c.req.url).pathname} in API ${c.get("version")}`;
  return new ApiError({ status: 404, code: "not_found", message });
}

/**
 * Adds every route of `routes` to the gateway, and its 404 for the rest.
 * Errors are thrown to the gateway's error handler; the 404 is answered
 * rather than thrown, so that the idempotency stage keeps it like any 4xx.
 */
export function mountRoutes(app: Hono<GatewayEnv>, routes: readonly RouteDef[] = ROUTES): void {
  for (const def of routes) {
    app.on(def.method, def.path, async (c) => {
      if (!versionAtLeast(c.get("version"), def.since)) throw routeNotFound(c);
      requireScope(c.get("scopes"), def.scope);
      return def.handler(c);
    });
  }
  app.notFound((c) => renderError(c.get("version"), c.get("requestId"), routeNotFound(c)));
}
