/**
 * The Node entry of `@resonantgenesis/sdk` (the package's `node` export
 * condition): everything of the universal entry (`public.ts`) plus {@link SyncClient},
 * which needs worker threads. Browsers and edge runtimes get `index.ts`, so
 * their bundles never see worker code.
 *
 * ```ts
 * import { ResonantClient, SyncClient } from "@resonantgenesis/sdk";
 * ```
 * @module @resonantgenesis/sdk
 */
import { useNodePlatform } from "./node/platform.js";

export * from "./public.js";
export { ResonantClient, ResonantClientBase } from "./client.js";
export * from "./sync/index.js";
// Node only: in the browser entry it would load with every app, and the client loads it only for a bad key.
export { apiKeyProblem } from "./core/key.js";
export {
  createNodeFetch,
  type AgentLike,
  type NodeFetch,
  type NodeFetchOptions,
  type AttemptOutcome,
} from "./node/fetch.js";

// On Node the default transport is node:http with keep-alive agents (see
// node/http-attempt.ts for why); `fetch: globalThis.fetch` opts back into undici.
useNodePlatform();
