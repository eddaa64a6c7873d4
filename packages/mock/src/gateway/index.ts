/**
 * The gateway: one Hono app whose middlewares are the checks of a real API
 * gateway, in the order the mock's README states (docs/protocol.md sections 1-3),
 * and whose last stage is the route table. Reading this file top to bottom
 * is reading what happens to a request.
 * @module
 */
import { Hono } from "hono";
import { MockNetworkError } from "../faults.js";
import { mountRoutes, renderError } from "../router.js";
import { pathBelowVersion } from "../versioning.js";
import type { GatewayEnv, GatewayServices } from "./env.js";
import { idempotency } from "./idempotency.js";
import {
  answerHeaders,
  bearerAuth,
  bodyLimit,
  connection,
  faultAnswers,
  lifecycle,
  rateLimit,
  triggerCalls,
  versionSelection,
} from "./stages.js";

// Hono's default path reading, which percent-decodes the way its router expects; it reads only `request.url`.
const honoPath = new Hono().getPath;

/**
 * Routes match the path below the version prefix (`/api/v1.2/agents` and
 * `/api/agents` both route as `/agents`), resolved as a URL path on its own.
 */
function routedPath(request: Request): string {
  const below = pathBelowVersion(new URL(request.url).pathname);
  // Joined, not resolved against a base: a path below `/api` that starts with `//` would name a host of its own.
  return honoPath({ url: new URL(`http://mock.local${below}`).href } as Request);
}

/** Builds the gateway over the mock's services: `fetch(Request)` answers as the API would. */
export function createGateway(services: GatewayServices): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>({ getPath: routedPath });
  app.use(async (c, next) => {
    c.set("services", services); // what the routes read, as c.get("services")
    await next();
  });
  app.use(answerHeaders(services.limiter)); //  every answer: X-API-Version, X-Request-Id, rate-limit headers
  app.use(connection(services.faults)); //      the network: latency, dropped connection, cut stream
  app.use(versionSelection); //                 400 unsupported_version / version_conflict
  app.use(lifecycle(services.lifecycle)); //    410 gone; deprecation headers
  app.use(faultAnswers); //                     injected status, malformed or wrong-schema body
  app.use(rateLimit(services.limiter)); //      429, counted per bearer token
  app.use(triggerCalls(services)); //           the signed trigger fire call, which has no key
  app.use(bearerAuth(services)); //             401
  app.use(bodyLimit); //                        413
  app.use(idempotency(services.idempotency)); // replay, or 409 / 400 for a reused or bad key
  mountRoutes(app); //                          404 route, 403 scope, then the handler: 400 JSON, 422, references
  app.onError((error, c) => {
    // A dropped connection or an aborted request is no answer: api.fetch rejects, as fetch does.
    if (error instanceof MockNetworkError || c.req.raw.signal.aborted) throw error;
    return renderError(c.get("version"), c.get("requestId"), error);
  });
  return app;
}
