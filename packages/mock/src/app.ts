/**
 * `createMockApi(options)`: one web-standard app, `fetch(Request) => Promise<Response>`,
 * over one in-memory store. The pipeline runs in the order a real gateway
 * would: version selection, lifecycle (410 for gone versions), faults, rate
 * limit, authentication, idempotency, then the Hono router; every answer gets
 * X-API-Version, X-Request-Id, deprecation and rate-limit headers.
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { DEMO_ACCOUNT_ID, DEMO_API_KEY, authenticate, newApiKey, randomToken } from "./auth.js";
import { createClock, type MockClock } from "./clock.js";
import type { Ctx, Internals } from "./context.js";
import { ApiError } from "./errors.js";
import { FaultState, MockNetworkError, cutStream, faultCode, type Fault, type Faults } from "./faults.js";
import { IdempotencyStore, isKeepable } from "./idempotency.js";
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateInfo } from "./ratelimit.js";
import { createRouter, renderError } from "./router.js";
import { FIRE_PATH, fireTrigger } from "./routes/trigger-fire.js";
import { DEMO_SEED, seedAccount, type SeedCounts, type SeedResult } from "./seed.js";
import { SessionsEngine } from "./sessions-engine.js";
import { Deliveries, type WebhookDelivery } from "./events.js";
import { EVOLVED_WEBHOOK_EVENT, evolveAccount } from "./evolve.js";
import { Store } from "./store.js";
import { Lifecycle, chooseVersion, type VersionState } from "./versioning.js";

/** The largest request body accepted (10 MiB); larger is 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Options of {@link createMockApi}. */
export interface MockApiOptions {
  /** The mock clock's start (default: the real time). */
  now?: Date | string;
  /** Each version's lifecycle state (default "auto" for all: from the table and the clock). */
  versionStates?: Partial<Record<ApiVersion, VersionState>>;
  /** Requests per window and key (default 10,000 per 60 s). */
  rateLimit?: number | { limit: number; windowSeconds?: number };
  /** Delay between two events of a running session (default 20 ms). */
  stepDelayMs?: number;
  /** Interval of the `: ping` comment on open streams (default 15,000 ms). */
  pingIntervalMs?: number;
  /** Seeds the demo account: `true` for the demo set, or counts per kind. */
  seed?: SeedCounts | boolean;
  /**
   * Answer as an evolved 1.x server (evolve.ts): new fields, enum values,
   * event types and a new kind, relaxed limits, unpromised fields left out.
   * Seeded accounts get evolved data. Default false: the letter of the protocol.
   */
  evolve?: boolean;
  /** Receives each signed webhook delivery (the mock itself sends nothing over the network). */
  onWebhookDelivery?: (delivery: WebhookDelivery) => void | Promise<void>;
}

/** The mock API. */
export interface MockApi {
  /** Answers one request, as the real API would. Rejects with a TypeError when a fault drops the connection. */
  fetch(request: Request): Promise<Response>;
  /** The settable clock every time-based behaviour reads. */
  readonly clock: MockClock;
  /** Fault knobs. */
  readonly faults: Faults;
  /** Forces a version's lifecycle state ("auto" derives it from the table and the clock). */
  setVersionState(version: ApiVersion, state: VersionState): void;
  /** Sets the rate limit per key (windows start afresh). */
  setRateLimit(limit: number, windowSeconds?: number): void;
  /** Creates an account with its own key (default: a fresh `rg_test_sk_...`, scope `*`). */
  createAccount(options?: { key?: string; scopes?: string[] }): { key: string; accountId: string };
  /** Seeds the account of `key` (default: the demo account) and answers the ids created. */
  seed(counts: SeedCounts, options?: { key?: string }): SeedResult;
  /** Back to the state right after creation: data, accounts, idempotency, limits, faults, lifecycle and clock. */
  reset(): void;
  /** Stops every timer (running sessions, stream pings). The api stays usable. */
  close(): void;
  /** The secret that signs a webhook's (or trigger's) deliveries, for tests that verify them; undefined for an unknown id. */
  webhookSecret(id: string): string | undefined;
  /** Webhook deliveries made so far (signing is async: await `flushDeliveries()` first). */
  readonly deliveries: readonly WebhookDelivery[];
  /** Waits for pending deliveries and answers them all, oldest first. */
  flushDeliveries(): Promise<WebhookDelivery[]>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates a stateful in-memory mock of the ResonantGenesis API (versions 1.0, 1.1 and 1.2). */
export function createMockApi(options: MockApiOptions = {}): MockApi {
  const clock = createClock(options.now);
  const nowMs = () => clock.now().getTime();
  const store = new Store();
  const evolve = options.evolve ?? false;
  const events = new Deliveries(() => clock.now(), options.onWebhookDelivery, evolve);
  const engine = new SessionsEngine({
    stepDelayMs: options.stepDelayMs ?? 20,
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
    now: () => clock.now(),
    evolve,
    onEnd: (account, session) => {
      events.emit(account, session.status === "failed" ? "session.failed" : "session.completed", session);
      if (evolve) events.emit(account, EVOLVED_WEBHOOK_EVENT, session);
    },
  });
  const internals: Internals = { store, clock, engine, streamMarks: new WeakMap(), events, evolve };
  const lifecycle = new Lifecycle(options.versionStates, () => clock.now());
  const limiter = new RateLimiter(nowMs);
  const idempotency = new IdempotencyStore(nowMs);
  const faults = new FaultState();
  const router = createRouter();
  const replayIds = new WeakMap<Response, string>();

  const applyRateOption = () => {
    const rl = options.rateLimit;
    if (rl === undefined) limiter.set(DEFAULT_RATE_LIMIT.limit, DEFAULT_RATE_LIMIT.windowSeconds);
    else if (typeof rl === "number") limiter.set(rl, DEFAULT_RATE_LIMIT.windowSeconds);
    else limiter.set(rl.limit, rl.windowSeconds ?? DEFAULT_RATE_LIMIT.windowSeconds);
  };

  const accountOf = (key: string) => {
    const grant = store.grant(key);
    const account = grant && store.accounts.get(grant.accountId);
    if (!account) throw new Error(`no account has the key ${key}`);
    return account;
  };

  const api: MockApi = {
    clock,
    faults,
    fetch: (request) => handle(request),
    setVersionState: (version, state) => lifecycle.set(version, state),
    setRateLimit: (limit, windowSeconds) => limiter.set(limit, windowSeconds),
    createAccount({ key, scopes } = {}) {
      const accountId = `acct_${randomToken("", 16)}`;
      const k = key ?? newApiKey();
      store.addAccount(accountId, k, scopes ?? ["*"]);
      return { key: k, accountId };
    },
    seed: (counts, { key = DEMO_API_KEY } = {}) => {
      const account = accountOf(key);
      const result = seedAccount(internals, account, counts);
      if (evolve) evolveAccount(account, clock.now().toISOString());
      return result;
    },
    reset() {
      engine.stopAll();
      store.clear();
      idempotency.clear();
      events.clear();
      faults.reset();
      lifecycle.reset();
      clock.restart(options.now);
      applyRateOption();
      store.addAccount(DEMO_ACCOUNT_ID, DEMO_API_KEY, ["*"]);
      if (options.seed) api.seed(options.seed === true ? DEMO_SEED : options.seed);
    },
    close: () => engine.stopAll(),
    webhookSecret(id) {
      for (const account of store.accounts.values()) if (account.secrets.has(id)) return account.secrets.get(id);
      return undefined;
    },
    deliveries: events.list,
    flushDeliveries: () => events.flush(),
  };

  /** Reads the body once (413 past 10 MiB); JSON is parsed lazily so an unknown route stays a 404. */
  async function readBody(request: Request): Promise<string | undefined> {
    const declared = Number(request.headers.get("content-length") ?? "0");
    const tooLarge = () => new ApiError({ status: 413, code: "request_too_large", message: `The request body is larger than ${MAX_BODY_BYTES} bytes`, details: { max_bytes: MAX_BODY_BYTES } });
    if (declared > MAX_BODY_BYTES) throw tooLarge();
    if (request.body === null) return undefined;
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
    return bytes.byteLength === 0 ? undefined : new TextDecoder().decode(bytes);
  }

  function faultResponse(fault: Fault): Response | undefined {
    if (fault.malformedJson) return new Response('{"id": "broken", "object": ', { status: 200, headers: { "Content-Type": "application/json" } });
    if (fault.wrongSchema)
      return new Response(JSON.stringify({ object: "unexpected", id: 12345, name: null }), { status: 200, headers: { "Content-Type": "application/json" } });
    return undefined;
  }

  async function route(ctx: Ctx, path: string, search: string): Promise<Response> {
    const routed = new Request(`http://mock.local${path}${search}`, { method: ctx.method });
    return router.fetch(routed, { ctx });
  }

  async function handle(request: Request): Promise<Response> {
    const requestId = randomToken("req_", 20);
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const choice = chooseVersion(url.pathname, request.headers.get("x-api-version")) ?? {
      version: "1.2" as ApiVersion,
      path: url.pathname,
      error: new ApiError({ status: 404, code: "not_found", message: `No route ${method} ${url.pathname}` }),
    };
    const version = choice.version;
    const auth = request.headers.get("authorization");
    const limitKey = /^Bearer\s+(\S+)/i.exec(auth ?? "")?.[1] ?? "anonymous";
    const extra: Record<string, string> = {};
    let rate: RateInfo | undefined;
    let fault: Fault | undefined;
    let response: Response;
    try {
      fault = faults.take(method, choice.path, url.pathname);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.drop) throw new MockNetworkError();
      if (choice.error) throw choice.error;
      const state = lifecycle.state(version);
      if (state === "gone") throw lifecycle.goneError(version);
      if (state === "deprecated") Object.assign(extra, lifecycle.deprecationHeaders(version));
      if (fault?.status) {
        const retry = fault.retryAfter ?? (fault.status === 429 || fault.status === 503 ? 1 : undefined);
        throw new ApiError({ status: fault.status, code: faultCode(fault.status), message: `Injected fault: ${fault.status}`, headers: retry === undefined ? {} : { "Retry-After": String(retry) } });
      }
      const injected = fault && faultResponse(fault);
      if (injected) {
        response = injected;
      } else {
        rate = limiter.hit(limitKey);
        if (rate.limited) throw limiter.error(rate);
        // A trigger's fire call is signed with the trigger's secret instead of carrying a key.
        const fire = method === "POST" && version === "1.2" ? FIRE_PATH.exec(choice.path) : null;
        if (fire) return finish(await fireTrigger(internals, decodeURIComponent(fire[1]!), request.headers, (await readBody(request)) ?? ""), version, requestId, extra, rate, fault);
        const grant = authenticate(auth, store, clock.now());
        const account = store.accounts.get(grant.accountId)!;
        const raw = await readBody(request);
        const ctx: Ctx = {
          version,
          requestId,
          url,
          method,
          headers: request.headers,
          query: url.searchParams,
          body: undefined,
          account,
          scopes: grant.scopes,
          params: {},
          internals,
        };
        Object.defineProperty(ctx, "body", {
          get() {
            if (raw === undefined) return undefined;
            try {
              return JSON.parse(raw) as unknown;
            } catch (error) {
              throw new ApiError({ status: 400, code: "invalid_json", message: `The request body is not valid JSON: ${(error as Error).message}` });
            }
          },
        });
        response = await withIdempotency(ctx, request, choice.path + url.search, raw);
      }
    } catch (error) {
      if (error instanceof MockNetworkError) throw error;
      response = renderError({ version, requestId }, error);
    }
    return finish(response, version, requestId, extra, rate ?? limiter.peek(limitKey), fault);
  }

  async function withIdempotency(ctx: Ctx, request: Request, path: string, raw: string | undefined): Promise<Response> {
    const key = request.headers.get("idempotency-key");
    if (ctx.method !== "POST" || key === null) return route(ctx, new URL(path, "http://x").pathname, new URL(path, "http://x").search);
    IdempotencyStore.check(key);
    const fingerprint = `${ctx.method} ${path}\n${raw ?? ""}`;
    const found = idempotency.lookup(ctx.account.id, key, fingerprint);
    if (found.kind === "replay") {
      const { answer } = found;
      const replay = answer.streamSessionId
        ? engine.stream(ctx.account, answer.streamSessionId, 0, ctx.version, ctx.requestId)
        : new Response(answer.body, { status: answer.status, headers: answer.headers });
      replay.headers.set("Idempotent-Replayed", "true");
      // A replayed body is the first answer, whose 1.2 error request_id names the first request.
      if (!answer.streamSessionId && answer.requestId) replayIds.set(replay, answer.requestId);
      return replay;
    }
    const u = new URL(path, "http://x");
    const response = await route(ctx, u.pathname, u.search);
    if (!isKeepable(response.status)) return response;
    const streamSessionId = internals.streamMarks.get(response);
    const headers = [...response.headers.entries()];
    if (streamSessionId) idempotency.remember(ctx.account.id, key, fingerprint, { status: response.status, headers, body: "", streamSessionId, requestId: ctx.requestId });
    else idempotency.remember(ctx.account.id, key, fingerprint, { status: response.status, headers, body: await response.clone().text(), requestId: ctx.requestId });
    return response;
  }

  function finish(response: Response, version: ApiVersion, requestId: string, extra: Record<string, string>, rate: RateInfo, fault: Fault | undefined): Response {
    let body: ReadableStream<Uint8Array> | null = response.body;
    const type = response.headers.get("content-type") ?? "";
    const streaming = type.includes("text/event-stream") || type.includes("application/x-ndjson");
    if (body && streaming && fault?.cutStreamAfter !== undefined) body = cutStream(body, fault.cutStreamAfter, type.includes("ndjson"));
    const headers = new Headers(response.headers);
    headers.set("X-API-Version", version);
    headers.set("X-Request-Id", replayIds.get(response) ?? requestId);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    for (const [name, value] of Object.entries(limiter.headers(version, rate))) headers.set(name, value);
    return new Response(body as BodyInit | null, { status: response.status, headers });
  }

  api.reset();
  return api;
}
