/**
 * The Node entry of `@resonantgenesis/sdk` (the package's `node` export
 * condition): everything of the universal entry plus {@link SyncClient},
 * which needs worker threads. Browsers and edge runtimes get `index.ts`, so
 * their bundles never see worker code.
 *
 * ```ts
 * import { ResonantClient, SyncClient } from "@resonantgenesis/sdk";
 * ```
 * @module @resonantgenesis/sdk
 */
import { setPlatformAttempt } from "./internal/platform.js";
import { createNodeAttempt } from "./node/http-attempt.js";

export * from "./index.js";
export * from "./sync/index.js";
export { createNodeFetch, type NodeFetch, type NodeFetchOptions, type AttemptOutcome } from "./node/fetch.js";

// On Node the default transport is node:http with keep-alive agents (see
// node/http-attempt.ts for why); `fetch: globalThis.fetch` opts back into undici.
setPlatformAttempt(createNodeAttempt());
