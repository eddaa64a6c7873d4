/**
 * What a route handler gets: the served version, the caller's account, the
 * parsed request, and the mock's services. The gateway builds it from the
 * variables its stages set (router.ts), so handlers stay plain functions of
 * one request. Kept in its own module so routes, the engine and the app
 * share it without import cycles.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import type { MockClock } from "./clock.js";
import type { Scope } from "./auth.js";
import type { SessionsEngine } from "./sessions-engine.js";
import type { Account, Store } from "./store.js";
import type { Deliveries } from "./events.js";

/** The mock's shared services. */
export interface Internals {
  store: Store;
  clock: MockClock;
  engine: SessionsEngine;
  /** Outbound webhook events. */
  events: Deliveries;
  /** Whether the mock answers as an evolved 1.x server (see evolve.ts). */
  evolve: boolean;
}

/** One request, as a handler sees it. */
export interface Ctx {
  /** The version that serves the request. */
  version: ApiVersion;
  /** The `req_...` id of this request (also in X-Request-Id). */
  requestId: string;
  /** The request URL as the client sent it. */
  url: URL;
  /** The method, upper-case. */
  method: string;
  /** The request headers. */
  headers: Headers;
  /** The query string. */
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The caller's account. */
  account: Account;
  /** The caller's scopes. */
  scopes: string[];
  /** Path parameters of the matched route. */
  params: Record<string, string>;
  /** The mock's services. */
  internals: Internals;
  /**
   * Says that the answer is the event stream of session `sessionId` (a
   * streamed `POST /sessions`), so an idempotent replay re-streams that
   * session from the start instead of replaying bytes.
   */
  markStream(sessionId: string): void;
}

/** One route: versions and scopes as data, so one handler serves every version that has the route. */
export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** A Hono path pattern below the version prefix, e.g. `/agents/:id`. */
  path: string;
  /** The first version that has the route; earlier versions answer 404. */
  since: ApiVersion;
  /** The scope the caller needs. */
  scope: Scope;
  handler: (ctx: Ctx) => Response | Promise<Response>;
}
