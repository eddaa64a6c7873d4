/**
 * The route table, the gateway's last stage. Routes match the path below the
 * version prefix; each checks the version that added it (earlier versions
 * answer 404, as the route does not exist there) and the caller's scope,
 * then runs its handler on a {@link Ctx} built from the gateway's variables.
 * @module
 */
import { versionAtLeast, type ApiVersion } from "@resonantgenesis/schemas";
import type { Context, Hono } from "hono";
import { requireScope } from "./auth.js";
import type { Ctx, Internals, RouteDef } from "./context.js";
import { ApiError, errorResponse, internalError } from "./errors.js";
import type { GatewayEnv } from "./gateway/env.js";
import { agentRoutes } from "./routes/agents.js";
import { dataRoutes } from "./routes/data.js";
import { evolvedExportRoutes, exportRoutes } from "./routes/export.js";
import { evolvedImportRoutes, importRoutes } from "./routes/import.js";
import { memoryRoutes } from "./routes/memories.js";
import { sessionRoutes } from "./routes/sessions.js";
import { stepRoutes } from "./routes/steps.js";
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
  ...stepRoutes,
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
function routeNotFound(c: Context<GatewayEnv>): ApiError {
  const message = `No route ${c.req.method} ${new URL(c.req.url).pathname} in API ${c.get("version")}`;
  return new ApiError({ status: 404, code: "not_found", message });
}

/** The handler's view of the request. The body is parsed on each read, so only handlers that read it can fail on bad JSON. */
function handlerContext(c: Context<GatewayEnv>, internals: Internals): Ctx {
  const url = new URL(c.req.url);
  const raw = c.get("body");
  return {
    version: c.get("version"),
    requestId: c.get("requestId"),
    url,
    method: c.req.method,
    headers: c.req.raw.headers,
    query: url.searchParams,
    get body() {
      if (raw === undefined) return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch (error) {
        throw new ApiError({ status: 400, code: "invalid_json", message: `The request body is not valid JSON: ${(error as Error).message}` });
      }
    },
    account: c.get("account"),
    scopes: c.get("scopes"),
    params: c.req.param() as Record<string, string>,
    internals,
    markStream: (sessionId) => c.set("streamedSession", sessionId),
  };
}

/**
 * Adds every route of `routes` to the gateway, and its 404 for the rest.
 * Errors are thrown to the gateway's error handler; the 404 is answered
 * rather than thrown, so that the idempotency stage keeps it like any 4xx.
 */
export function mountRoutes(app: Hono<GatewayEnv>, internals: Internals, routes: readonly RouteDef[] = ROUTES): void {
  for (const def of routes) {
    app.on(def.method, def.path, async (c) => {
      if (!versionAtLeast(c.get("version"), def.since)) throw routeNotFound(c);
      requireScope(c.get("scopes"), def.scope);
      return def.handler(handlerContext(c, internals));
    });
  }
  app.notFound((c) => renderError(c.get("version"), c.get("requestId"), routeNotFound(c)));
}
