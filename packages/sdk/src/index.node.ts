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
import { setPlatformFetch } from "./internal/platform.js";
import { createNodeFetch } from "./node/fetch.js";

export * from "./index.js";
export * from "./sync/index.js";
export { createNodeFetch, type NodeFetchOptions } from "./node/fetch.js";

// On Node the default transport is a keep-alive node:http fetch (see
// node/fetch.ts for why); `fetch: globalThis.fetch` opts back into undici.
setPlatformFetch(createNodeFetch());
