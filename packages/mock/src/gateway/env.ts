/**
 * The types the gateway's stages share: the services they close over, and
 * the variables one stage sets (`c.set`) for the later ones to read
 * (`c.get`), in Hono's `Variables`.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import type { Internals } from "../context.js";
import type { Fault, FaultState } from "../faults.js";
import type { IdempotencyStore } from "../idempotency.js";
import type { RateInfo, RateLimiter } from "../ratelimit.js";
import type { Account } from "../store.js";
import type { Lifecycle } from "../versioning.js";

/** What the stages need besides the request: the handlers' services plus the gateway's own state. */
export interface GatewayServices extends Internals {
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
  /** The session whose event stream the answer is, on a streamed `POST /sessions` [the route, through `ctx.markStream`]. */
  streamedSession?: string;
}

/** The Hono environment of the gateway. */
export interface GatewayEnv {
  /** See {@link GatewayVariables}. */
  Variables: GatewayVariables;
}
