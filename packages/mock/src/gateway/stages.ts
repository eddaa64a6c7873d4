/**
 * The gateway's stages, one Hono middleware each, in the order they run
 * (gateway/index.ts lists it). A stage refuses a request by throwing an
 * {@link ApiError}, which the gateway renders in the served version's form;
 * it hands what it learnt to later stages with `c.set` (see env.ts). Stages
 * that decorate every answer (headers, a cut stream) do so after `next()`,
 * so refusals from later stages get the same decoration.
 * @module
 */
import { CURRENT_API_VERSION, KIND_TABLE, MAX_BODY_BYTES, versionAtLeast } from "@resonantgenesis/schemas/meta";
import type { MiddlewareHandler } from "hono";
import { authenticate, randomToken } from "../auth.js";
import { ApiError } from "../errors.js";
import { MockNetworkError, cutStream, rewriteLines, type FaultState } from "../faults.js";
import type { RateLimiter } from "../ratelimit.js";
import { FIRE_PATH, fireTrigger } from "../routes/trigger-fire.js";
import { chooseVersion, pathBelowVersion, type Lifecycle } from "../versioning.js";
import type { GatewayEnv, GatewayServices } from "./env.js";
import { injectedError } from "./injected.js";

type Stage = MiddlewareHandler<GatewayEnv>;

// As on a network: aborting the request ends the wait, and the fetch rejects with the signal's reason.
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });

/** The rate-limit key: the bearer token as sent (valid or not), so refused callers are counted too. */
function limitKey(authorization: string | undefined): string {
  return /^Bearer\s+(\S+)/i.exec(authorization ?? "")?.[1] ?? "anonymous";
}

/**
 * Reads the body once (413 past 10 MiB, declared or actual). It stays text:
 * JSON is parsed only by handlers that read it, so an unknown route is still
 * a 404 whatever the body holds.
 */
export async function readBody(request: Request): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () =>
    new ApiError({
      status: 413,
      code: "request_too_large",
      message: `The request body is larger than ${MAX_BODY_BYTES} bytes`,
      details: { max_bytes: MAX_BODY_BYTES },
    });
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  return bytes.byteLength === 0 ? undefined : new TextDecoder().decode(bytes);
}

/**
 * Gives the request its id, and every answer (refusals included) its
 * X-API-Version, X-Request-Id and rate-limit headers. A request refused
 * before the rate-limit stage is not counted, and shows its window as it stands.
 */
export function answerHeaders(limiter: RateLimiter): Stage {
  return async (c, next) => {
    c.set("requestId", randomToken("req_", 20));
    // Until versionSelection reads the request's; only a bug before it would answer in this one.
    c.set("version", CURRENT_API_VERSION);
    await next();
    const version = c.get("version");
    c.header("X-API-Version", version);
    // A replayed body is the first answer, whose 1.2 error request_id names the first request.
    c.header("X-Request-Id", c.get("replayOf") ?? c.get("requestId"));
    const rate = c.get("rate") ?? limiter.peek(limitKey(c.req.header("authorization")));
    for (const [name, value] of Object.entries(limiter.headers(version, rate))) c.header(name, value);
  };
}

/**
 * The network between client and API, before the gateway sees anything:
 * picks the request's fault (once per request, so a `once` fault is spent
 * even by a request the gateway then refuses), waits its latency, drops the
 * connection (`api.fetch` rejects), cuts an event stream short, and rewrites an answer's text or an NDJSON stream's lines.
 */
export function connection(faults: FaultState): Stage {
  return async (c, next) => {
    const { pathname } = new URL(c.req.url);
    const fault = faults.take(c.req.method, pathBelowVersion(pathname), pathname);
    c.set("fault", fault);
    if (fault?.latencyMs) await sleep(fault.latencyMs, c.req.raw.signal);
    if (fault?.drop) throw new MockNetworkError();
    await next();
    const type = c.res.headers.get("content-type") ?? "";
    const streaming = type.includes("text/event-stream") || type.includes("application/x-ndjson");
    if (fault?.cutStreamAfter !== undefined && streaming && c.res.body)
      c.res = new Response(cutStream(c.res.body, fault.cutStreamAfter, type.includes("ndjson")), c.res);
    if (fault?.rewriteLines && type.includes("ndjson") && c.res.ok && c.res.body) {
      const { rewriteLines: rewrite } = fault;
      const { status, headers } = c.res;
      headers.delete("content-length");
      c.res = new Response(
        rewriteLines(c.res.body, (line) => rewrite(line, c.req.raw)),
        { status, headers },
      );
    }
    if (fault?.rewrite && !streaming && type.includes("json") && c.res.ok) {
      const { status, headers } = c.res;
      const text = fault.rewrite(await c.res.text(), c.req.raw);
      headers.delete("content-length"); // The text's length changed.
      c.res = new Response(text, { status, headers });
    }
  };
}

/**
 * docs/protocol.md section 1: the version named by the path or X-API-Version
 * (400 `unsupported_version` / `version_conflict`), and the path below it.
 * A path outside `/api` is a 404 served in the current version.
 */
export const versionSelection: Stage = async (c, next) => {
  const { pathname } = new URL(c.req.url);
  const choice = chooseVersion(pathname, c.req.header("x-api-version") ?? null);
  if (!choice) throw new ApiError({ status: 404, code: "not_found", message: `No route ${c.req.method} ${pathname}` });
  c.set("version", choice.version);
  c.set("path", choice.path);
  if (choice.error) throw choice.error;
  await next();
};

/** docs/protocol.md section 1: a gone version answers 410 to everything (before auth); a deprecated one says so on every answer. */
export function lifecycle(versions: Lifecycle): Stage {
  return async (c, next) => {
    const version = c.get("version");
    const state = versions.state(version);
    if (state === "gone") throw versions.goneError(version);
    const headers = state === "deprecated" ? versions.deprecationHeaders(version) : {};
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}

/** The fault answers: an injected status (the mock's own error of that status, gateway/injected.ts), or a 200 whose body is not JSON or not the schema. */
export const faultAnswers: Stage = async (c, next) => {
  const fault = c.get("fault");
  if (fault?.status) throw injectedError(c, { ...fault, status: fault.status });
  if (fault?.malformedJson)
    return new Response('{"id": "broken", "object": ', {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  if (fault?.wrongSchema)
    return new Response(JSON.stringify({ object: "unexpected", id: 12345, name: null }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  await next();
};

/** docs/protocol.md section 2: counts the request against its bearer token's window (also when it then fails); 429 past the limit. */
export function rateLimit(limiter: RateLimiter): Stage {
  return async (c, next) => {
    const rate = limiter.hit(limitKey(c.req.header("authorization")));
    c.set("rate", rate);
    if (rate.limited) throw limiter.error(rate);
    await next();
  };
}

/** A trigger's fire call (1.2) is signed with the trigger's secret instead of carrying a key, so it is answered before bearer auth. */
export function triggerCalls(services: GatewayServices): Stage {
  return async (c, next) => {
    const fire =
      c.req.method === "POST" && versionAtLeast(c.get("version"), KIND_TABLE.triggers.since)
        ? FIRE_PATH.exec(c.get("path"))
        : null;
    if (!fire) return next();
    return fireTrigger(services, decodedId(fire[1]!), c.req.raw.headers, (await readBody(c.req.raw)) ?? "");
  };
}

// An id with a malformed escape (`%ZZ`) is kept as written, as Hono keeps a route's parameter: no trigger has it,
// so the call is a 404 like any other route's, not the mock's own URIError.
function decodedId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** docs/protocol.md section 2: the bearer key or token names the account and its scopes; missing or unknown is 401. */
export function bearerAuth(services: GatewayServices): Stage {
  return async (c, next) => {
    const grant = authenticate(c.req.header("authorization") ?? null, services.store, services.clock.now());
    c.set("account", services.store.accounts.get(grant.accountId)!);
    c.set("scopes", grant.scopes);
    await next();
  };
}

/** docs/protocol.md section 2: bodies of at most 10 MiB (413), read once for the idempotency fingerprint and the handler. */
export const bodyLimit: Stage = async (c, next) => {
  c.set("body", await readBody(c.req.raw));
  await next();
};
