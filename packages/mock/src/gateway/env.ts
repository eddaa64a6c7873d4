/**
 * The types the gateway and its routes share: the mock's services, the
 * variables one stage sets (`c.set`) for the later ones and the routes to
 * read (`c.get`), in Hono's `Variables`, and the route table's row.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import type { Context } from "hono";
import type { Scope } from "../auth.js";
import type { MockClock } from "../clock.js";
import type { SessionsEngine } from "../domain/sessions-engine.js";
import type { Deliveries } from "../events.js";
import type { Fault, FaultState } from "../faults.js";
import type { RateInfo, RateLimiter } from "../ratelimit.js";
import type { EvolvedKind } from "../evolve.js";
import type { Account, Store } from "../store.js";
import type { Lifecycle } from "../versioning.js";
import type { IdempotencyStore } from "./idempotency.js";

/** The mock's services, made once by createMockApi: what the stages close over and the routes read as `c.get("services")`. */
export interface GatewayServices {
  store: Store;
  clock: MockClock;
  engine: SessionsEngine;
  /** Outbound webhook events. */
  events: Deliveries;
  /** Whether the mock answers as an evolved 1.x server (see evolve.ts). */
  evolve: boolean;
  /** The kinds the evolved server adds (none on the plain one). */
  evolvedKinds: readonly EvolvedKind[];
  /** Interval of the `: ping` comment on open event streams. */
  pingIntervalMs: number;
  /** Each version's lifecycle state. */
  lifecycle: Lifecycle;
  /** The rate-limit windows. */
  limiter: RateLimiter;
  /** The kept answers of Idempotency-Key requests. */
  idempotency: IdempotencyStore;
  /** The fault knobs. */
  faults: FaultState;
}

/**
 * The per-request variables, each set by one stage (named in brackets).
 * Optional ones stay unset on requests that never reach their stage.
 */
export interface GatewayVariables {
  /** The mock's services [the gateway, before every stage]. */
  services: GatewayServices;
  /** The `req_...` id of this request [answerHeaders]. */
  requestId: string;
  /** The version that serves the request, and the form of its errors [answerHeaders, then versionSelection]. */
  version: ApiVersion;
  /** The path below the version prefix, as sent, e.g. `/agents/123` [versionSelection]. */
  path: string;
  /** The fault this request got [connection]. */
  fault?: Fault;
  /** The rate-limit window with this request counted [rateLimit]. */
  rate?: RateInfo;
  /** The caller's account [bearerAuth]. */
  account: Account;
  /** The caller's scopes [bearerAuth]. */
  scopes: string[];
  /** The raw body, or undefined when there is none; parsed as JSON only by handlers that read it [bodyLimit]. */
  body?: string;
  /** The X-Request-Id of the first answer, on a replay whose body names it [idempotency]. */
  replayOf?: string;
  /** The session whose event stream the answer is, on a streamed `POST /sessions` [the route]. */
  streamedSession?: string;
}

/** The Hono environment of the gateway. */
export interface GatewayEnv {
  /** See {@link GatewayVariables}. */
  Variables: GatewayVariables;
}

/** What a stage and a route handler get: Hono's context with the gateway's variables. */
export type RouteContext = Context<GatewayEnv>;

/** One route: versions and scopes as data, so one handler serves every version that has the route. */
export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** A Hono path pattern below the version prefix, e.g. `/agents/:id`. */
  path: string;
  /** The first version that has the route; earlier versions answer 404. */
  since: ApiVersion;
  /** The scope the caller needs. */
  scope: Scope;
  /** Answers the request; refuses by throwing an ApiError, which the gateway renders. */
  handler: (c: RouteContext) => Response | Promise<Response>;
}
