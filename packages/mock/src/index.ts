/**
 * `@resonantgenesis/mock`: a stateful in-memory mock of the ResonantGenesis
 * API, versions 1.0, 1.1 and 1.2. Use `createMockApi()` and its `fetch`
 * directly, the MSW handlers of `@resonantgenesis/mock/msw`, or the loopback
 * server of `@resonantgenesis/mock/server`.
 *
 * ```ts
 * import { createMockApi, DEMO_API_KEY } from "@resonantgenesis/mock";
 * const api = createMockApi({ versionStates: { "1.0": "current", "1.1": "current" } });
 * const res = await api.fetch(new Request("https://resonantgenesis.xyz/api/v1.2/agents", {
 *   headers: { Authorization: `Bearer ${DEMO_API_KEY}` },
 * }));
 * ```
 * @module @resonantgenesis/mock
 */
export { createMockApi, type MockApi, type MockApiOptions } from "./app.js";
export { MAX_BODY_BYTES } from "@resonantgenesis/schemas/meta";
export { DEMO_API_KEY, DEMO_ACCOUNT_ID, hasScope, type Scope } from "./auth.js";
export type { MockClock } from "./clock.js";
export type { WebhookDelivery } from "./events.js";
export { MockNetworkError, type Fault, type Faults } from "./faults.js";
export { DEMO_SEED, type SeedCounts, type SeedResult } from "./seed.js";
export { signWebhook, hmacSha256Hex, type SignWebhookOptions } from "./signing.js";
export { autoState, type VersionState } from "./versioning.js";
