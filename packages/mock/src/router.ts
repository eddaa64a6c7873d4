/**
 * The route table as one Hono app. Requests reach it with their version
 * prefix removed and the per-request context in `env`; each route checks the
 * version that added it (earlier versions answer 404, as the route does not
 * exist there) and the caller's scope, then runs its handler.
 * @module
 */
import { Hono } from "hono";
import { versionAtLeast } from "@resonantgenesis/schemas";
import { requireScope } from "./auth.js";
import type { Ctx, RouteDef } from "./context.js";
import { ApiError, errorResponse, internalError } from "./errors.js";
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

/** The environment a routed request carries. */
export interface RouterEnv {
  ctx: Ctx;
}

/** Renders a thrown error in the served version's form; unexpected ones become 500 internal_error. */
export function renderError(ctx: Pick<Ctx, "version" | "requestId">, error: unknown): Response {
  if (error instanceof ApiError) return errorResponse(ctx.version, ctx.requestId, error);
  return errorResponse(ctx.version, ctx.requestId, internalError(error));
}

function routeNotFound(ctx: Ctx): Response {
  return errorResponse(ctx.version, ctx.requestId, new ApiError({ status: 404, code: "not_found", message: `No route ${ctx.method} ${new URL(ctx.url).pathname} in API ${ctx.version}` }));
}

/** Builds the Hono app over the route table. */
export function createRouter(routes: readonly RouteDef[] = ROUTES): Hono<{ Bindings: RouterEnv }> {
  const app = new Hono<{ Bindings: RouterEnv }>();
  for (const def of routes) {
    app.on(def.method, def.path, async (c) => {
      const ctx = c.env.ctx;
      if (!versionAtLeast(ctx.version, def.since)) return routeNotFound(ctx);
      try {
        requireScope(ctx.scopes, def.scope);
        ctx.params = c.req.param() as Record<string, string>;
        return await def.handler(ctx);
      } catch (error) {
        return renderError(ctx, error);
      }
    });
  }
  app.notFound((c) => routeNotFound(c.env.ctx));
  app.onError((error, c) => renderError(c.env.ctx, error));
  return app;
}
