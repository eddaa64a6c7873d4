/**
 * `createMockApi(options)`: one web-standard app, `fetch(Request) => Promise<Response>`,
 * over one in-memory store. The services are made here; the request pipeline
 * (version, lifecycle, faults, rate limit, auth, body, idempotency, routes) is
 * the gateway's, one Hono middleware a stage (gateway/index.ts).
 * @module
 */
import type { ApiVersion } from "@resonantgenesis/schemas";
import { DEMO_ACCOUNT_ID, DEMO_API_KEY, newApiKey, randomToken } from "./auth.js";
import { createClock, type MockClock } from "./clock.js";
import { SessionsEngine } from "./domain/sessions-engine.js";
import { Deliveries, type WebhookDelivery } from "./events.js";
import { EVOLVED_WEBHOOK_EVENT, copyWorkflows, evolveAccount, evolvedKindsOf, type EvolvedKindName } from "./evolve.js";
import { FaultState, type Faults } from "./faults.js";
import { IdempotencyStore } from "./gateway/idempotency.js";
import { createGateway } from "./gateway/index.js";
import { DEFAULT_RATE_LIMIT, RateLimiter } from "./ratelimit.js";
import { DEMO_SEED, seedAccount, type SeedCounts, type SeedResult } from "./seed.js";
import { Store } from "./store.js";
import { Lifecycle, type VersionState } from "./versioning.js";

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
   * `{ kinds }` names the new kinds it adds (`true` adds `workflows` alone;
   * `policies` is a kind whose plural is not its NDJSON record kind plus "s").
   */
  evolve?: boolean | { kinds: readonly EvolvedKindName[] };
  /**
   * Where the triggers that `seed` makes point their `webhook_url`:
   * `<origin>/api/v1.2/triggers/{id}/fire` (default `https://resonantgenesis.xyz`;
   * `startMockServer` gives its own URL). A trigger created by a request points at the host that served it.
   */
  origin?: string;
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
  /**
   * The secret that signs a webhook's (or trigger's) deliveries, for tests
   * that verify them; undefined for an unknown id. Ids are kept across
   * accounts by imports, so name the account's `key` to read its copy
   * (default: the first account that has the id).
   */
  webhookSecret(id: string, options?: { key?: string }): string | undefined;
  /** Webhook deliveries made so far (signing is async: await `flushDeliveries()` first). */
  readonly deliveries: readonly WebhookDelivery[];
  /** Waits for pending deliveries and answers them all, oldest first. */
  flushDeliveries(): Promise<WebhookDelivery[]>;
}

/** Creates a stateful in-memory mock of the ResonantGenesis API (versions 1.0, 1.1 and 1.2). */
export function createMockApi(options: MockApiOptions = {}): MockApi {
  const clock = createClock(options.now);
  const nowMs = () => clock.now().getTime();
  const store = new Store();
  const evolvedKinds = evolvedKindsOf(options.evolve ?? false);
  const evolve = (options.evolve ?? false) !== false;
  const events = new Deliveries(() => clock.now(), options.onWebhookDelivery, evolve);
  const engine = new SessionsEngine({
    stepDelayMs: options.stepDelayMs ?? 20,
    now: () => clock.now(),
    evolve,
    onEnd: (account, session) => {
      events.emit(account, session.status === "failed" ? "session.failed" : "session.completed", session);
      if (evolve) events.emit(account, EVOLVED_WEBHOOK_EVENT, session);
    },
  });
  const lifecycle = new Lifecycle(options.versionStates, () => clock.now());
  const limiter = new RateLimiter(nowMs);
  const idempotency = new IdempotencyStore(nowMs);
  const faults = new FaultState();
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const services = {
    store,
    clock,
    engine,
    events,
    evolve,
    evolvedKinds,
    pingIntervalMs,
    lifecycle,
    limiter,
    idempotency,
    faults,
  };
  const gateway = createGateway(services);

  const applyRateOption = () => {
    const rl = options.rateLimit;
    if (rl === undefined) limiter.set(DEFAULT_RATE_LIMIT.limit, DEFAULT_RATE_LIMIT.windowSeconds);
    else if (typeof rl === "number") limiter.set(rl, DEFAULT_RATE_LIMIT.windowSeconds);
    else limiter.set(rl.limit, rl.windowSeconds ?? DEFAULT_RATE_LIMIT.windowSeconds);
  };

  // The store and the seeded sessions' logs right after creation, which reset() restores: the same ids, timestamps
  // and secrets, so a test may keep an id it read before a reset. Taken by the first reset, which creation runs.
  let initial: { store: Store; logs: ReturnType<SessionsEngine["endedLogs"]> } | undefined;

  const accountOf = (key: string) => {
    const grant = store.grant(key);
    const account = grant && store.accounts.get(grant.accountId);
    if (!account) throw new Error(`no account has the key ${key}`);
    return account;
  };

  const api: MockApi = {
    clock,
    faults,
    async fetch(request) {
      // fetch upper-cases only some methods ("patch" stays as written); routes and checks expect upper case.
      const method = request.method.toUpperCase();
      return gateway.fetch(method === request.method ? request : new Request(request, { method }));
    },
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
      const result = seedAccount(services, account, counts, options.origin);
      if (evolve) evolveAccount(account, clock.now().toISOString(), evolvedKinds);
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
      if (initial) {
        store.copyFrom(initial.store, copyWorkflows);
        engine.restoreLogs(initial.logs);
        return;
      }
      store.addAccount(DEMO_ACCOUNT_ID, DEMO_API_KEY, ["*"]);
      if (options.seed) api.seed(options.seed === true ? DEMO_SEED : options.seed);
      const snapshot = new Store();
      snapshot.copyFrom(store, copyWorkflows);
      initial = { store: snapshot, logs: engine.endedLogs() };
    },
    close: () => engine.stopAll(),
    webhookSecret(id, { key } = {}) {
      if (key !== undefined) return accountOf(key).secrets.get(id);
      for (const account of store.accounts.values()) if (account.secrets.has(id)) return account.secrets.get(id);
      return undefined;
    },
    deliveries: events.list,
    flushDeliveries: () => events.flush(),
  };

  api.reset();
  return api;
}
